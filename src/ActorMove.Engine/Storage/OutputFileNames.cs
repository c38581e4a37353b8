using System.Security.Cryptography;
using System.Text;
using ActorMove.Dicom.Dictionary;

namespace ActorMove.Engine.Storage;

/// <summary>
/// Names received objects as movescu does, <c>&lt;prefix&gt;.&lt;SOP Instance UID&gt;</c>, but never lets a
/// hostile UID choose a path: DCMTK 3.6.7 wrote the UID verbatim (fixed as a security bug in 3.6.8).
/// </summary>
public static class OutputFileNames
{
    /// <summary>DCMTK's prefix for a SOP class its table does not know.</summary>
    public const string UnknownPrefix = "UNKNOWN";

    /// <summary>The file name, and whether the UID had to be changed to make it safe (the caller logs that).</summary>
    public static (string FileName, bool WasSanitised) For(string sopClassUid, string sopInstanceUid)
    {
        string prefix = StorageSopClasses.FileNamePrefix(sopClassUid) ?? UnknownPrefix;
        string uid = sopInstanceUid.TrimEnd('\0', ' ');
        bool safe = uid.Length > 0 && !uid.Contains("..", StringComparison.Ordinal) && uid.All(c => c is '.' or (>= '0' and <= '9'));
        if (safe)
        {
            return ($"{prefix}.{uid}", false);
        }

        // Keep the readable part of the UID and make the rest harmless; the name can then neither climb out
        // of the folder nor hide as a dot file.
        var cleaned = new char[Math.Min(uid.Length, 64)];
        for (int i = 0; i < cleaned.Length; i++)
        {
            char c = uid[i];
            cleaned[i] = c is >= '0' and <= '9' ? c : '_';
        }

        string safeUid = cleaned.Length == 0 ? "_" : new string(cleaned);
        // The cleaning maps many UIDs to one string ("../a" and "/../b" both to "____"): a hash of the UID as received
        // keeps different ones apart, and gives a resent object its earlier name.
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(uid)), 0, 4);
        return ($"{prefix}.{safeUid}-{hash}", true);
    }

    /// <summary>The full path inside <paramref name="outputDirectory"/>; throws when the result would leave it.</summary>
    public static string PathIn(string outputDirectory, string fileName)
    {
        string folder = Path.GetFullPath(outputDirectory);
        string path = Path.GetFullPath(Path.Combine(folder, fileName));
        if (!string.Equals(Path.GetDirectoryName(path), folder.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"File name '{fileName}' would leave the output folder '{folder}'");
        }

        return path;
    }
}
