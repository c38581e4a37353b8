using ActorMove.Dicom.Data;

namespace ActorMove.Benchmarks;

/// <summary>Visits every element, item and fragment the way a consumer of the tree would, without reading deferred values.</summary>
internal static class TreeWalker
{
    /// <summary>Elements seen plus the value bytes they describe, so the walk cannot be optimised away.</summary>
    public static long Walk(DicomDataset dataset)
    {
        long sum = 0;
        foreach (var element in dataset)
        {
            sum++;
            switch (element)
            {
                case DicomPrimitiveElement primitive:
                    sum += primitive.Value.Length;
                    break;
                case DicomSequence sequence:
                    foreach (var item in sequence.Items)
                    {
                        sum += Walk(item);
                    }

                    break;
                case DicomFragmentSequence fragments:
                    sum += fragments.OffsetTable.Length;
                    foreach (var fragment in fragments.Fragments)
                    {
                        sum += fragment.Length;
                    }

                    break;
            }
        }

        return sum;
    }
}
