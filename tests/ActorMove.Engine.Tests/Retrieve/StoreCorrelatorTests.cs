using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Engine.Retrieve;
using Xunit;

namespace ActorMove.Engine.Tests.Retrieve;

public class StoreCorrelatorTests
{
    private static DicomDataset Study(string uid)
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(new DicomTag(0x0008, 0x0052), DicomVR.CS, "STUDY");
        identifier.AddOrUpdate(new DicomTag(0x0020, 0x000D), DicomVR.UI, uid);
        return identifier;
    }

    [Fact]
    public void Move_originator_message_id_and_ae_select_the_job()
    {
        var correlator = new StoreCorrelator();
        correlator.Register(jobId: 1, messageId: 10, "MOVESCU", Study("1.1"));
        correlator.Register(jobId: 2, messageId: 11, "MOVESCU", Study("1.2"));

        Assert.Equal(2, correlator.Attribute(new StoreOrigin("MOVESCU ", 11, "9.9", "1.1", null)));
    }

    [Fact]
    public void Originator_with_another_ae_title_is_not_ours()
    {
        var correlator = new StoreCorrelator();
        correlator.Register(jobId: 1, messageId: 10, "MOVESCU", Study("1.1"));

        Assert.Null(correlator.Attribute(new StoreOrigin("OTHER", 10, "9.9", "7.7", null)));
    }

    [Fact]
    public void Without_originator_the_study_key_selects_the_job()
    {
        var correlator = new StoreCorrelator();
        correlator.Register(jobId: 1, messageId: 10, "MOVESCU", Study("1.1"));
        correlator.Register(jobId: 2, messageId: 11, "MOVESCU", Study("1.2"));

        Assert.Equal(1, correlator.Attribute(new StoreOrigin(null, null, "9.9", "1.1", null)));
    }

    [Fact]
    public void Ambiguous_or_unknown_keys_make_the_store_unsolicited()
    {
        var correlator = new StoreCorrelator();
        correlator.Register(jobId: 1, messageId: 10, "MOVESCU", Study("1.1"));
        correlator.Register(jobId: 2, messageId: 11, "MOVESCU", Study("1.1"));

        Assert.Null(correlator.Attribute(new StoreOrigin(null, null, "9.9", "1.1", null)));
        Assert.Null(correlator.Attribute(new StoreOrigin(null, null, "9.9", "5.5", null)));
    }

    [Fact]
    public void Finished_jobs_no_longer_receive_and_message_ids_are_unique()
    {
        var correlator = new StoreCorrelator();
        correlator.Register(jobId: 1, messageId: 10, "MOVESCU", Study("1.1"));
        Assert.Throws<InvalidOperationException>(() => correlator.Register(jobId: 2, messageId: 10, "MOVESCU", Study("1.2")));

        correlator.Unregister(10);

        Assert.Null(correlator.Attribute(new StoreOrigin("MOVESCU", 10, "9.9", "1.1", null)));
        Assert.Equal(0, correlator.RunningJobs);
    }
}
