using System.Buffers.Binary;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.Dictionary;
using ActorMove.Dicom.IO.Writing;

namespace ActorMove.Benchmarks;

/// <summary>
/// An object the benchmarks read and re-encode: the same CT-like header (73 top-level elements, two sequences) over
/// 16-bit pixel data of one 512 × 512 frame or of many. Only the pixel data differs between the sizes, so any
/// difference in allocations between them is allocation that grows with the pixel data.
/// </summary>
public sealed class SampleObject : IHasInputBytes
{
    public const int Rows = 512;
    public const int Columns = 512;
    public const int BytesPerPixel = 2;

    /// <summary>A 512 KiB CT image (one frame).</summary>
    public static SampleObject CtImage { get; } = new("CT 512 KiB", frames: 1, DicomUids.CTImageStorage);

    /// <summary>A 200 MiB multi-frame object (400 frames of 512 KiB).</summary>
    public static SampleObject MultiFrame { get; } =
        new("MF 200 MiB", frames: 400, DicomUids.MultiFrameGrayscaleWordSecondaryCaptureImageStorage);

    public static IReadOnlyList<SampleObject> All { get; } = [CtImage, MultiFrame];

    private readonly Lazy<long> _fileBytes;

    private SampleObject(string name, int frames, string sopClassUid)
    {
        Name = name;
        Frames = frames;
        SopClassUid = sopClassUid;
        _fileBytes = new Lazy<long>(MeasureFileBytes);
    }

    public string Name { get; }
    public int Frames { get; }
    public string SopClassUid { get; }

    public long PixelBytes => (long)Frames * Rows * Columns * BytesPerPixel;

    /// <summary>The size of the generated file (explicit VR little endian), computed without writing the pixel data.</summary>
    public long FileBytes => _fileBytes.Value;

    public long InputBytes => FileBytes;

    public override string ToString() => Name;

    /// <summary>Writes the object as a Part 10 file in explicit VR little endian into <paramref name="folder"/>.</summary>
    public string Generate(string folder)
    {
        string path = Path.Combine(folder, $"{Name.Replace(' ', '-')}.dcm");
        var pixels = new SyntheticPixelSource(Rows, Columns);
        var dataset = BuildDataset(DicomValue.Deferred(pixels, 0, checked((uint)PixelBytes)));
        var meta = FileMetaInformation.Create(dataset, TransferSyntax.ExplicitVRLittleEndian);
        using (var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            DicomWriter.WriteFile(output, meta, dataset, DicomWriteOptions.Default);
        }

        long actual = new FileInfo(path).Length;
        if (actual != FileBytes)
        {
            throw new InvalidOperationException($"{Name}: wrote {actual} bytes, expected {FileBytes}.");
        }

        return path;
    }

    private long MeasureFileBytes()
    {
        var header = BuildDataset(pixelData: null);
        var meta = FileMetaInformation.Create(header, TransferSyntax.ExplicitVRLittleEndian);
        using var buffer = new MemoryStream();
        DicomWriter.WriteFile(buffer, meta, header, DicomWriteOptions.Default);
        const int pixelDataHeader = 12; // tag, "OW", reserved, 32-bit length
        return buffer.Length + pixelDataHeader + PixelBytes;
    }

    private DicomDataset BuildDataset(DicomValue? pixelData)
    {
        var ds = new DicomDataset();
        string study = "1.2.826.0.1.3680043.8.498.20261129.1";
        string series = study + ".1";
        string instance = series + ".1";
        string frameOfReference = study + ".9";

        Text(ds, DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        Text(ds, DicomTags.ImageType, DicomVR.CS, @"ORIGINAL\PRIMARY\AXIAL");
        Text(ds, DicomTags.InstanceCreationDate, DicomVR.DA, "20261129");
        Text(ds, DicomTags.InstanceCreationTime, DicomVR.TM, "153800.000000");
        Text(ds, DicomTags.SOPClassUID, DicomVR.UI, SopClassUid);
        Text(ds, DicomTags.SOPInstanceUID, DicomVR.UI, instance);
        Text(ds, DicomTags.StudyDate, DicomVR.DA, "20261129");
        Text(ds, DicomTags.SeriesDate, DicomVR.DA, "20261129");
        Text(ds, DicomTags.AcquisitionDate, DicomVR.DA, "20261129");
        Text(ds, DicomTags.ContentDate, DicomVR.DA, "20261129");
        Text(ds, DicomTags.StudyTime, DicomVR.TM, "152000.000000");
        Text(ds, DicomTags.SeriesTime, DicomVR.TM, "152500.000000");
        Text(ds, DicomTags.AcquisitionTime, DicomVR.TM, "152610.123000");
        Text(ds, DicomTags.ContentTime, DicomVR.TM, "152610.123000");
        Text(ds, DicomTags.AccessionNumber, DicomVR.SH, "A20261129001");
        Text(ds, DicomTags.Modality, DicomVR.CS, "CT");
        Text(ds, DicomTags.Manufacturer, DicomVR.LO, "ActorMove Bench");
        Text(ds, DicomTags.InstitutionName, DicomVR.LO, "Benchmark Hospital");
        Text(ds, DicomTags.ReferringPhysicianName, DicomVR.PN, "Doe^Jane");
        Text(ds, DicomTags.StationName, DicomVR.SH, "CT01");
        Text(ds, DicomTags.StudyDescription, DicomVR.LO, "CT THORAX ABDOMEN");
        Text(ds, DicomTags.SeriesDescription, DicomVR.LO, "Thorax 1.0 B30f");
        Text(ds, DicomTags.ManufacturerModelName, DicomVR.LO, "Synthetic");
        ds.AddOrUpdate(new DicomSequence(DicomTags.ReferencedImageSequence, DicomVR.SQ,
        [
            ReferencedImage(study + ".2.1.1"),
            ReferencedImage(study + ".2.1.2"),
        ]));
        Text(ds, DicomTags.PatientName, DicomVR.PN, "Bench^Marker");
        Text(ds, DicomTags.PatientID, DicomVR.LO, "BENCH0001");
        Text(ds, DicomTags.PatientBirthDate, DicomVR.DA, "19700101");
        Text(ds, DicomTags.PatientSex, DicomVR.CS, "O");
        Text(ds, DicomTags.PatientAge, DicomVR.AS, "056Y");
        Text(ds, DicomTags.BodyPartExamined, DicomVR.CS, "CHEST");
        Text(ds, DicomTags.SliceThickness, DicomVR.DS, "1.0");
        Text(ds, DicomTags.KVP, DicomVR.DS, "120");
        Text(ds, DicomTags.DataCollectionDiameter, DicomVR.DS, "500");
        Text(ds, DicomTags.SoftwareVersions, DicomVR.LO, "1.0");
        Text(ds, DicomTags.ReconstructionDiameter, DicomVR.DS, "380");
        Text(ds, DicomTags.GantryDetectorTilt, DicomVR.DS, "0");
        Text(ds, DicomTags.TableHeight, DicomVR.DS, "160");
        Text(ds, DicomTags.RotationDirection, DicomVR.CS, "CW");
        Text(ds, DicomTags.ExposureTime, DicomVR.IS, "500");
        Text(ds, DicomTags.XRayTubeCurrent, DicomVR.IS, "250");
        Text(ds, DicomTags.Exposure, DicomVR.IS, "125");
        Text(ds, DicomTags.FilterType, DicomVR.SH, "FLAT");
        Text(ds, DicomTags.ConvolutionKernel, DicomVR.SH, "B30f");
        Text(ds, DicomTags.PatientPosition, DicomVR.CS, "HFS");
        ds.AddOrUpdate(new DicomSequence(DicomTags.CTDIPhantomTypeCodeSequence, DicomVR.SQ,
        [
            Code("113691", "DCM", "IEC Body Dosimetry Phantom"),
        ]));
        Text(ds, DicomTags.StudyInstanceUID, DicomVR.UI, study);
        Text(ds, DicomTags.SeriesInstanceUID, DicomVR.UI, series);
        Text(ds, DicomTags.StudyID, DicomVR.SH, "1");
        Text(ds, DicomTags.SeriesNumber, DicomVR.IS, "2");
        Text(ds, DicomTags.AcquisitionNumber, DicomVR.IS, "1");
        Text(ds, DicomTags.InstanceNumber, DicomVR.IS, "1");
        Text(ds, DicomTags.ImagePositionPatient, DicomVR.DS, @"-190\-190\-120.5");
        Text(ds, DicomTags.ImageOrientationPatient, DicomVR.DS, @"1\0\0\0\1\0");
        Text(ds, DicomTags.FrameOfReferenceUID, DicomVR.UI, frameOfReference);
        Text(ds, DicomTags.PositionReferenceIndicator, DicomVR.LO, "");
        Text(ds, DicomTags.SliceLocation, DicomVR.DS, "-120.5");
        UInt16(ds, DicomTags.SamplesPerPixel, 1);
        Text(ds, DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");

        // In the single frame object too (a CT image would not have them), so that both headers have the same elements and
        // the same value lengths ("1" and "400" both pad to 4 bytes), and the only difference left is the pixel data.
        Text(ds, DicomTags.NumberOfFrames, DicomVR.IS, Frames.ToString(System.Globalization.CultureInfo.InvariantCulture).PadRight(3));
        ds.AddOrUpdate(new DicomPrimitiveElement(DicomTags.FrameIncrementPointer, DicomVR.AT,
            DicomValue.FromBytes(new byte[] { 0x18, 0x00, 0x63, 0x10 }))); // (0018,1063) Frame Time

        UInt16(ds, DicomTags.Rows, Rows);
        UInt16(ds, DicomTags.Columns, Columns);
        Text(ds, DicomTags.PixelSpacing, DicomVR.DS, @"0.7421875\0.7421875");
        UInt16(ds, DicomTags.BitsAllocated, 16);
        UInt16(ds, DicomTags.BitsStored, 12);
        UInt16(ds, DicomTags.HighBit, 11);
        UInt16(ds, DicomTags.PixelRepresentation, 0);
        Text(ds, DicomTags.WindowCenter, DicomVR.DS, @"40\-600");
        Text(ds, DicomTags.WindowWidth, DicomVR.DS, @"400\1200");
        Text(ds, DicomTags.RescaleIntercept, DicomVR.DS, "-1024");
        Text(ds, DicomTags.RescaleSlope, DicomVR.DS, "1");
        Text(ds, DicomTags.RescaleType, DicomVR.LO, "HU");
        if (pixelData is { } pixels)
        {
            ds.AddOrUpdate(new DicomPrimitiveElement(DicomTag.PixelData, DicomVR.OW, pixels));
        }

        return ds;
    }

    private static DicomDataset ReferencedImage(string instance)
    {
        var item = new DicomDataset();
        Text(item, DicomTags.ReferencedSOPClassUID, DicomVR.UI, DicomUids.CTImageStorage);
        Text(item, DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, instance);
        return item;
    }

    private static DicomDataset Code(string value, string scheme, string meaning)
    {
        var item = new DicomDataset();
        Text(item, DicomTags.CodeValue, DicomVR.SH, value);
        Text(item, DicomTags.CodingSchemeDesignator, DicomVR.SH, scheme);
        Text(item, DicomTags.CodeMeaning, DicomVR.LO, meaning);
        return item;
    }

    private static void Text(DicomDataset dataset, DicomTag tag, DicomVR vr, string value) => dataset.AddOrUpdate(tag, vr, value);

    private static void UInt16(DicomDataset dataset, DicomTag tag, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        dataset.AddOrUpdate(new DicomPrimitiveElement(tag, DicomVR.US, DicomValue.FromBytes(bytes)));
    }
}

/// <summary>
/// CT-like 12-bit little endian pixels computed from their position (a disc of tissue, a ramp per frame, some noise), so a
/// 200 MiB object needs no 200 MiB buffer to be written, and deflate finds about as much redundancy as in real images.
/// </summary>
internal sealed class SyntheticPixelSource(int rows, int columns) : IValueSource
{
    public void ReadExactly(long offset, Span<byte> destination)
    {
        long frameWords = (long)rows * columns;
        for (int i = 0; i < destination.Length; i++)
        {
            long position = offset + i;
            long word = position >> 1;
            long frame = word / frameWords;
            long inFrame = word % frameWords;
            int x = (int)(inFrame % columns) - columns / 2;
            int y = (int)(inFrame / columns) - rows / 2;
            int radius2 = x * x + y * y;
            uint noise = (uint)(word * 2654435761L) >> 27;
            int value = radius2 < (rows / 2 - 20) * (rows / 2 - 20) ? 1000 + (radius2 >> 8) + (int)frame : 24;
            ushort pixel = (ushort)((value + noise) & 0x0FFF);
            destination[i] = (position & 1) == 0 ? (byte)pixel : (byte)(pixel >> 8);
        }
    }

    public ValueTask ReadExactlyAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        ReadExactly(offset, destination.Span);
        return ValueTask.CompletedTask;
    }
}
