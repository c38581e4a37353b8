namespace ActorMove.Dicom.IO.Writing;

/// <summary>A data set that cannot be written with the requested options.</summary>
public class DicomWriteException : Exception
{
    public DicomWriteException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// The data set cannot be converted to the requested transfer syntax, e.g. encapsulated (compressed) pixel data to an
/// uncompressed syntax; DCMTK refuses such a conversion as well since no codec is involved here.
/// </summary>
public sealed class DicomConversionException : DicomWriteException
{
    public DicomConversionException(string message, string sourceSyntaxUid, string targetSyntaxUid)
        : base(message)
    {
        SourceSyntaxUid = sourceSyntaxUid;
        TargetSyntaxUid = targetSyntaxUid;
    }

    public string SourceSyntaxUid { get; }
    public string TargetSyntaxUid { get; }
}
