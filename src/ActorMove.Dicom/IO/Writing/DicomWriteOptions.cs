using ActorMove.Dicom.Core;

namespace ActorMove.Dicom.IO.Writing;

/// <summary>Group length elements (gggg,0000) in the written data set and in every sequence item.</summary>
public enum GroupLengthMode
{
    /// <summary>`+g=`: only groups that had a group length element get one, with its value recalculated.</summary>
    Recalculate,

    /// <summary>`+g`: every group gets one; padding created by `+p` is added afterwards and so has none.</summary>
    Create,

    /// <summary>`-g`: none.</summary>
    Remove,
}

/// <summary>How sequence and item lengths are encoded. Encapsulated pixel data always has undefined length.</summary>
public enum SequenceLengthMode
{
    /// <summary>`+e`: explicit lengths; a sequence or item too long for 32 bits gets undefined length instead (DCMTK's `+eo`).</summary>
    Explicit,

    /// <summary>`-e`: undefined lengths with item and sequence delimitation items.</summary>
    Undefined,
}

/// <summary>Data set trailing padding (FFFC,FFFC).</summary>
public enum PaddingMode
{
    /// <summary>`-p`: existing padding elements are dropped, none are added (movescu's default).</summary>
    Remove,

    /// <summary>`-p=`: existing padding elements are written like any other element (dcmconv's default).</summary>
    Retain,

    /// <summary>
    /// `+p f i`: existing padding is dropped; the file is padded to a multiple of <see cref="DicomWriteOptions.FilePadding"/>
    /// bytes and every item's content to a multiple of <see cref="DicomWriteOptions.ItemPadding"/> bytes (0 = not that one).
    /// As in DCMTK, an odd value for either means no padding is created and existing padding stays, as with <see cref="Retain"/>.
    /// </summary>
    Create,
}

/// <summary>The output options movescu and dcmconv share; the defaults are movescu's.</summary>
public sealed record DicomWriteOptions
{
    public static DicomWriteOptions Default { get; } = new();

    /// <summary>
    /// Null (`+t=`) keeps the source's transfer syntax; otherwise explicit VR little endian (`+te`), explicit VR big endian (`+tb`),
    /// implicit VR little endian (`+ti`) or deflated explicit VR little endian (`+td`).
    /// </summary>
    public TransferSyntax? TargetSyntax { get; init; }

    /// <summary>`+F` (true) writes preamble and file meta information; `-F` writes the bare data set.</summary>
    public bool WriteFileFormat { get; init; } = true;

    /// <summary>`+u`; with `-u` (false) UN, UT, UC, UR, OD, OF, OL, OV, SV and UV are written as OB in explicit VR output.</summary>
    public bool EnableNewVRs { get; init; } = true;

    public GroupLengthMode GroupLength { get; init; } = GroupLengthMode.Recalculate;

    public SequenceLengthMode SequenceLength { get; init; } = SequenceLengthMode.Explicit;

    public PaddingMode Padding { get; init; } = PaddingMode.Remove;

    /// <summary>`+p f i`: f, the multiple of bytes the whole file is padded to (with <see cref="PaddingMode.Create"/>).</summary>
    public int FilePadding { get; init; }

    /// <summary>`+p f i`: i, the multiple of bytes each item's content is padded to (with <see cref="PaddingMode.Create"/>).</summary>
    public int ItemPadding { get; init; }

    /// <summary>`+cl`: 0 (stored) to 9 (best); only used for deflated output.</summary>
    public int DeflateLevel { get; init; } = 6;

    internal void Validate()
    {
        if (DeflateLevel is < 0 or > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(DeflateLevel), DeflateLevel, "The deflate level is 0 to 9.");
        }

        if (FilePadding < 0 || ItemPadding < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(FilePadding), "Padding multiples cannot be negative.");
        }

        if (Padding == PaddingMode.Create && !WriteFileFormat)
        {
            // DCMTK: "--padding-create not allowed with --write-dataset".
            throw new ArgumentException("Padding cannot be created when writing a bare data set (-F).", nameof(Padding));
        }
    }
}
