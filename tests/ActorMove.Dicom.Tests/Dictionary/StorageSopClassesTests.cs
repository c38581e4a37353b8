using ActorMove.Dicom.Dictionary;
using Xunit;

namespace ActorMove.Dicom.Tests.Dictionary;

public class StorageSopClassesTests
{
    private static readonly string SharedTable = SharedDicomFolder("storage-sop-classes-accepted.tsv");
    private static readonly string SharedPrefixTable = SharedDicomFolder("file-name-prefixes.tsv");

    /// <summary>../shared/dicom beside the repository (the development machine and CI have it; a bare clone may not).</summary>
    private static string SharedDicomFolder(string file)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ActorMove.sln")))
            {
                return Path.Combine(folder.FullName, "..", "shared", "dicom", file);
            }
        }

        return file;
    }

    [Fact]
    public void Movescu_accepts_186_classes_in_dcmtk_order()
    {
        var accepted = StorageSopClasses.AcceptedByMovescu;

        Assert.Equal(186, accepted.Count);
        Assert.Equal(accepted.Count, accepted.Distinct().Count());
        Assert.Equal(DicomUids.AcquisitionContextSRStorage, accepted[0]);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.601.2", accepted[^1]);
        Assert.Contains(DicomUids.CTImageStorage, accepted);
        Assert.Contains(DicomUids.RTPlanStorage, accepted);
        Assert.DoesNotContain(DicomUids.Verification, accepted);
    }

    [Fact]
    public void Accepted_list_matches_the_shared_table_when_it_is_there()
    {
        if (!File.Exists(SharedTable))
        {
            return; // the facts above hold without it; the table is only on the development machine
        }

        var fromTable = File.ReadAllLines(SharedTable).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')[0]);
        Assert.Equal(fromTable, StorageSopClasses.AcceptedByMovescu);
    }

    [Fact]
    public void All_holds_every_accepted_class_and_the_retired_ones_but_no_storage_commitment()
    {
        var all = StorageSopClasses.All;

        Assert.Subset(all.ToHashSet(), StorageSopClasses.AcceptedByMovescu.ToHashSet());
        Assert.Contains(DicomUids.StandaloneOverlayStorage, all); // retired
        Assert.Contains(DicomUids.StoredPrintStorage, all); // retired
        Assert.DoesNotContain(DicomUids.StorageCommitmentPushModel, all);
        Assert.DoesNotContain(DicomUids.MediaStorageDirectoryStorage, all);
        Assert.Equal(all.Count, all.Distinct().Count());
        foreach (string uid in all)
        {
            Assert.True(DicomUids.TryGetInfo(uid, out var info), uid);
            Assert.True(info.IsSopClass, uid);
            Assert.Contains("Storage", info.Name);
        }
    }

    [Theory]
    [InlineData("1.2.840.10008.5.1.4.1.1.2", "CT")] // CT Image Storage
    [InlineData("1.2.840.10008.5.1.4.1.1.481.5", "RP")] // RT Plan Storage
    [InlineData("1.2.840.10008.5.1.4.1.1.4", "MR")] // MR Image Storage
    [InlineData("1.2.840.10008.5.1.4.1.1.88.71", "SRa")]
    [InlineData("1.2.840.10008.5.1.4.1.1.2\0", "CT")] // as padded on the wire
    public void Gives_the_file_name_prefix_of_a_class(string uid, string prefix)
    {
        Assert.Equal(prefix, StorageSopClasses.FileNamePrefix(uid));
    }

    [Fact]
    public void Has_no_prefix_for_a_class_outside_the_table()
    {
        Assert.Null(StorageSopClasses.FileNamePrefix("1.2.3.4"));
        Assert.Null(StorageSopClasses.FileNamePrefix(DicomUids.Verification));
    }

    [Fact]
    public void Every_accepted_class_has_a_prefix()
    {
        Assert.All(StorageSopClasses.AcceptedByMovescu, uid => Assert.False(string.IsNullOrEmpty(StorageSopClasses.FileNamePrefix(uid))));
    }

    [Fact]
    public void Prefixes_match_the_shared_table_when_it_is_there()
    {
        if (!File.Exists(SharedPrefixTable))
        {
            return;
        }

        var rows = File.ReadAllLines(SharedPrefixTable).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).ToList();
        Assert.Equal(194, rows.Count);
        Assert.All(rows, row => Assert.Equal(row[1], StorageSopClasses.FileNamePrefix(row[0])));
    }
}
