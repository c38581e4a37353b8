using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace ActorMove.Testing.Dcmtk;

/// <summary>One generated image and the keys a C-MOVE can select it by.</summary>
public sealed record GeneratedImage(string Path, string PatientId, string StudyInstanceUid, string SeriesInstanceUid,
    string SopInstanceUid, string SopClassUid);

/// <summary>
/// Generates CT studies as DICOM files with DCMTK's dump2dcm, so that interop tests start from files
/// that DCMTK itself wrote (independent of ActorMove's writer).
/// </summary>
public static class Dump2DcmStudies
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    /// <summary>A fresh UID under the UUID root 2.25 (PS3.5 B.2).</summary>
    public static string NewUid() => "2.25." + new BigInteger(RandomNumberGenerator.GetBytes(16), isUnsigned: true).ToString(CultureInfo.InvariantCulture);

    /// <param name="folder">Where the files go (created when missing).</param>
    /// <param name="pixelBytes">Size of each image's OW pixel data (even).</param>
    /// <param name="transferSyntax">dump2dcm's output option, e.g. "+te", "+tb", "+ti".</param>
    public static async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(string folder, int patients = 1, int studiesPerPatient = 1,
        int seriesPerStudy = 1, int imagesPerSeries = 2, int pixelBytes = 512, string transferSyntax = "+te")
    {
        if ((pixelBytes & 1) != 0 || pixelBytes < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(pixelBytes), "OW pixel data needs an even, positive length");
        }

        Directory.CreateDirectory(folder);
        string work = Path.Combine(folder, ".dump");
        Directory.CreateDirectory(work);
        string pixels = Path.Combine(work, "pixels.raw");
        await File.WriteAllBytesAsync(pixels, RandomNumberGenerator.GetBytes(pixelBytes)).ConfigureAwait(false);
        int columns = 256;
        int rows = Math.Max(1, pixelBytes / 2 / columns);

        var images = new List<GeneratedImage>();
        for (int p = 0; p < patients; p++)
        {
            string patientId = $"PAT{p + 1:D3}";
            for (int s = 0; s < studiesPerPatient; s++)
            {
                string study = NewUid();
                for (int r = 0; r < seriesPerStudy; r++)
                {
                    string series = NewUid();
                    for (int i = 0; i < imagesPerSeries; i++)
                    {
                        string sop = NewUid();
                        string dump = Path.Combine(work, sop + ".dump");
                        string file = Path.Combine(folder, $"img{images.Count + 1:D5}.dcm");
                        await File.WriteAllTextAsync(dump, Dump(patientId, study, series, sop, s + 1, r + 1, i + 1, rows, columns, pixels)).ConfigureAwait(false);
                        var result = await DcmtkTool.RunAsync("dump2dcm", [transferSyntax, dump, file]).ConfigureAwait(false);
                        if (result.ExitCode != 0)
                        {
                            throw new InvalidOperationException($"dump2dcm failed: {result}");
                        }

                        images.Add(new GeneratedImage(file, patientId, study, series, sop, CtImageStorage));
                    }
                }
            }
        }

        Directory.Delete(work, recursive: true);
        return images;
    }

    private static string Dump(string patientId, string study, string series, string sop, int studyNumber, int seriesNumber,
        int instanceNumber, int rows, int columns, string pixels)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"(0008,0016) UI [{CtImageStorage}]");
        text.AppendLine(CultureInfo.InvariantCulture, $"(0008,0018) UI [{sop}]");
        text.AppendLine("(0008,0020) DA [20260101]");
        text.AppendLine("(0008,0060) CS [CT]");
        text.AppendLine(CultureInfo.InvariantCulture, $"(0010,0010) PN [Patient^{patientId}]");
        text.AppendLine(CultureInfo.InvariantCulture, $"(0010,0020) LO [{patientId}]");
        text.AppendLine(CultureInfo.InvariantCulture, $"(0020,000d) UI [{study}]");
        text.AppendLine(CultureInfo.InvariantCulture, $"(0020,000e) UI [{series}]");
        text.AppendLine(CultureInfo.InvariantCulture, $"(0020,0010) SH [S{studyNumber}]");
        text.AppendLine(CultureInfo.InvariantCulture, $"(0020,0011) IS [{seriesNumber}]");
        text.AppendLine(CultureInfo.InvariantCulture, $"(0020,0013) IS [{instanceNumber}]");
        text.AppendLine("(0028,0002) US 1");
        text.AppendLine("(0028,0004) CS [MONOCHROME2]");
        text.AppendLine(CultureInfo.InvariantCulture, $"(0028,0010) US {rows}");
        text.AppendLine(CultureInfo.InvariantCulture, $"(0028,0011) US {columns}");
        text.AppendLine("(0028,0100) US 16");
        text.AppendLine("(0028,0101) US 16");
        text.AppendLine("(0028,0102) US 15");
        text.AppendLine("(0028,0103) US 0");
        text.AppendLine(CultureInfo.InvariantCulture, $"(7fe0,0010) OW ={pixels}");
        return text.ToString();
    }
}
