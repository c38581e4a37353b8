using System.Buffers.Binary;
using System.Globalization;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.Dictionary;
using ActorMove.Dicom.IO.Writing;
using ActorMove.Testing.Dcmtk;

namespace ActorMove.Testing.Archive;

/// <summary>
/// Generates CT studies with ActorMove's own writer, so that samples run on a machine without DCMTK
/// (interop tests use <see cref="Dump2DcmStudies"/> instead, whose files DCMTK wrote).
/// </summary>
public static class SyntheticStudies
{
    public static IReadOnlyList<GeneratedImage> Generate(string folder, int patients = 1, int studiesPerPatient = 1, int seriesPerStudy = 1,
        int imagesPerSeries = 4, int rows = 256, int columns = 256)
    {
        Directory.CreateDirectory(folder);
        var images = new List<GeneratedImage>();
        byte[] pixels = new byte[rows * columns * 2];
        for (int p = 0; p < patients; p++)
        {
            string patientId = $"PAT{p + 1:D3}";
            for (int s = 0; s < studiesPerPatient; s++)
            {
                string study = Dump2DcmStudies.NewUid();
                for (int r = 0; r < seriesPerStudy; r++)
                {
                    string series = Dump2DcmStudies.NewUid();
                    for (int i = 0; i < imagesPerSeries; i++)
                    {
                        string sop = Dump2DcmStudies.NewUid();
                        FillPixels(pixels, images.Count);
                        var dataset = new DicomDataset();
                        dataset.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, Dump2DcmStudies.CtImageStorage);
                        dataset.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, sop);
                        dataset.AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, "20260101");
                        dataset.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "CT");
                        dataset.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, $"Patient^{patientId}");
                        dataset.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, patientId);
                        dataset.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study);
                        dataset.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, series);
                        dataset.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, (i + 1).ToString(CultureInfo.InvariantCulture));
                        dataset.AddOrUpdate(new DicomPrimitiveElement(DicomTags.Rows, DicomVR.US, UShort(rows)));
                        dataset.AddOrUpdate(new DicomPrimitiveElement(DicomTags.Columns, DicomVR.US, UShort(columns)));
                        dataset.AddOrUpdate(new DicomPrimitiveElement(DicomTags.BitsAllocated, DicomVR.US, UShort(16)));
                        dataset.AddOrUpdate(new DicomPrimitiveElement(DicomTags.PixelData, DicomVR.OW, DicomValue.FromBytes(pixels)));
                        string path = Path.Combine(folder, $"img{images.Count + 1:D5}.dcm");
                        using (var output = File.Create(path))
                        {
                            DicomWriter.WriteFile(output, FileMetaInformation.Create(dataset, TransferSyntax.ExplicitVRLittleEndian), dataset,
                                DicomWriteOptions.Default);
                        }

                        images.Add(new GeneratedImage(path, patientId, study, series, sop, Dump2DcmStudies.CtImageStorage));
                    }
                }
            }
        }

        return images;
    }

    private static DicomValue UShort(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
        return DicomValue.FromBytes(bytes);
    }

    /// <summary>A gradient that differs per image, so no two files are alike.</summary>
    private static void FillPixels(byte[] pixels, int seed)
    {
        for (int i = 0; i < pixels.Length / 2; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(pixels.AsSpan(i * 2), (ushort)((i + seed * 97) & 0x0FFF));
        }
    }
}
