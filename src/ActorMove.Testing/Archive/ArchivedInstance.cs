using ActorMove.Dicom;
using ActorMove.Dicom.Dictionary;
using ActorMove.Dicom.IO.Reading;

namespace ActorMove.Testing.Archive;

/// <summary>One file the archive serves, with the keys a C-MOVE selects it by.</summary>
public sealed record ArchivedInstance(string Path, string PatientId, string StudyInstanceUid, string SeriesInstanceUid,
    string SopInstanceUid, string SopClassUid, string TransferSyntaxUid)
{
    /// <summary>
    /// Indexes every DICOM file below <paramref name="folder"/>. Only the keys are kept: each file is read with the
    /// project's reader (large values stay deferred) and closed again. Files that are not DICOM, or lack a SOP class or
    /// instance UID, are skipped, since a folder in a test may hold other things too.
    /// </summary>
    public static IReadOnlyList<ArchivedInstance> IndexFolder(string folder)
    {
        var instances = new List<ArchivedInstance>();
        foreach (string path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (TryRead(path) is { } instance)
            {
                instances.Add(instance);
            }
        }

        return instances;
    }

    private static ArchivedInstance? TryRead(string path)
    {
        try
        {
            using var file = DicomReader.ReadFile(path, DicomReadOptions.Default with { Mode = DicomReadMode.FileOnly });
            string? sopClass = file.Meta.GetString(DicomTags.MediaStorageSOPClassUID) ?? file.Dataset.GetString(DicomTags.SOPClassUID);
            string? sopInstance = file.Meta.GetString(DicomTags.MediaStorageSOPInstanceUID) ?? file.Dataset.GetString(DicomTags.SOPInstanceUID);
            if (string.IsNullOrEmpty(sopClass) || string.IsNullOrEmpty(sopInstance))
            {
                return null;
            }

            return new ArchivedInstance(path,
                file.Dataset.GetString(DicomTags.PatientID) ?? "",
                file.Dataset.GetString(DicomTags.StudyInstanceUID) ?? "",
                file.Dataset.GetString(DicomTags.SeriesInstanceUID) ?? "",
                sopInstance, sopClass, file.TransferSyntax.Uid);
        }
        catch (DicomFormatException)
        {
            return null;
        }
    }
}
