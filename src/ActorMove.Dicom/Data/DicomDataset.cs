using System.Collections;
using System.Text;
using ActorMove.Dicom.Core;

namespace ActorMove.Dicom.Data;

/// <summary>
/// A data set (or a sequence item): elements kept in ascending tag order, as PS3.5 7.1 requires on the wire.
/// Values keep the byte order they were read in; <see cref="SourceIsLittleEndian"/> says which.
/// </summary>
public sealed class DicomDataset : IEnumerable<DicomElement>
{
    private readonly List<DicomElement> _elements = [];

    public DicomDataset(bool sourceIsLittleEndian = true) => SourceIsLittleEndian = sourceIsLittleEndian;

    /// <summary>The byte order of the held and deferred values of this data set's elements.</summary>
    public bool SourceIsLittleEndian { get; }

    /// <summary>The item's length field as read (0xFFFFFFFF for undefined); 0 for an item that was built.</summary>
    public uint SourceItemLength { get; init; }

    public int Count => _elements.Count;

    public DicomElement this[int index] => _elements[index];

    /// <summary>Adds, or replaces the element with the same tag, keeping tag order. Appending in order costs O(1).</summary>
    public void AddOrUpdate(DicomElement element)
    {
        if (_elements.Count == 0 || _elements[^1].Tag < element.Tag)
        {
            _elements.Add(element);
            return;
        }

        int index = IndexOf(element.Tag);
        if (index >= 0)
        {
            _elements[index] = element;
        }
        else
        {
            _elements.Insert(~index, element);
        }
    }

    /// <summary>Adds or replaces a string value, padded to even length as its VR requires.</summary>
    public void AddOrUpdate(DicomTag tag, DicomVR vr, string value)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(value);
        if ((bytes.Length & 1) == 1)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
            bytes[^1] = vr.PaddingByte;
        }

        AddOrUpdate(new DicomPrimitiveElement(tag, vr, DicomValue.FromBytes(bytes)));
    }

    public bool Remove(DicomTag tag)
    {
        int index = IndexOf(tag);
        if (index < 0)
        {
            return false;
        }

        _elements.RemoveAt(index);
        return true;
    }

    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    public bool TryGet(DicomTag tag, out DicomElement element)
    {
        int index = IndexOf(tag);
        element = index >= 0 ? _elements[index] : null!;
        return index >= 0;
    }

    /// <summary>A string value without its trailing padding (spaces and NULs); null when absent or not a held value.</summary>
    public string? GetString(DicomTag tag)
    {
        if (!TryGet(tag, out var element) || element is not DicomPrimitiveElement primitive || primitive.Value.IsDeferred)
        {
            return null;
        }

        return Encoding.ASCII.GetString(primitive.Value.Bytes.Span).TrimEnd(' ', '\0');
    }

    /// <summary>Binary search; the bitwise complement of the insertion point when absent.</summary>
    private int IndexOf(DicomTag tag)
    {
        int low = 0;
        int high = _elements.Count - 1;
        while (low <= high)
        {
            int mid = (low + high) >>> 1;
            int cmp = _elements[mid].Tag.CompareTo(tag);
            if (cmp == 0)
            {
                return mid;
            }

            if (cmp < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return ~low;
    }

    public List<DicomElement>.Enumerator GetEnumerator() => _elements.GetEnumerator();
    IEnumerator<DicomElement> IEnumerable<DicomElement>.GetEnumerator() => _elements.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _elements.GetEnumerator();
}
