using ActorMove.Network.Dimse;
using Xunit;

namespace ActorMove.Network.Tests.Dimse;

public class DimseStatusTests
{
    [Theory]
    [InlineData(0x0000, DimseStatusCategory.Success)]
    [InlineData(0xFF00, DimseStatusCategory.Pending)]
    [InlineData(0xFF01, DimseStatusCategory.Pending)]
    [InlineData(0xFE00, DimseStatusCategory.Cancel)]
    [InlineData(0x0001, DimseStatusCategory.Warning)]
    [InlineData(0x0107, DimseStatusCategory.Warning)]
    [InlineData(0x0116, DimseStatusCategory.Warning)]
    [InlineData(0xB000, DimseStatusCategory.Warning)]
    [InlineData(0xB006, DimseStatusCategory.Warning)]
    [InlineData(0xB007, DimseStatusCategory.Warning)]
    [InlineData(0xBFFF, DimseStatusCategory.Warning)]
    [InlineData(0xA700, DimseStatusCategory.Failure)]
    [InlineData(0xA701, DimseStatusCategory.Failure)]
    [InlineData(0xA702, DimseStatusCategory.Failure)]
    [InlineData(0xA801, DimseStatusCategory.Failure)]
    [InlineData(0xA900, DimseStatusCategory.Failure)]
    [InlineData(0xC000, DimseStatusCategory.Failure)]
    [InlineData(0xCFFF, DimseStatusCategory.Failure)]
    [InlineData(0x0105, DimseStatusCategory.Failure)]
    [InlineData(0x0106, DimseStatusCategory.Failure)]
    [InlineData(0x0110, DimseStatusCategory.Failure)]
    [InlineData(0x0111, DimseStatusCategory.Failure)]
    [InlineData(0x0112, DimseStatusCategory.Failure)]
    [InlineData(0x0117, DimseStatusCategory.Failure)]
    [InlineData(0x0118, DimseStatusCategory.Failure)]
    [InlineData(0x0119, DimseStatusCategory.Failure)]
    [InlineData(0x0122, DimseStatusCategory.Failure)]
    [InlineData(0x0124, DimseStatusCategory.Failure)]
    [InlineData(0x0210, DimseStatusCategory.Failure)]
    [InlineData(0x0211, DimseStatusCategory.Failure)]
    [InlineData(0x0212, DimseStatusCategory.Failure)]
    [InlineData(0xFE01, DimseStatusCategory.Failure)]
    public void Classify(int status, DimseStatusCategory expected)
    {
        Assert.Equal(expected, DimseStatus.Classify((ushort)status));
    }

    [Theory]
    [InlineData(0x0000, DimseService.Store, "Success")]
    [InlineData(0xA700, DimseService.Store, "Refused: out of resources")]
    [InlineData(0xA7FF, DimseService.Store, "Refused: out of resources")]
    [InlineData(0xA900, DimseService.Store, "Error: data set does not match SOP class")]
    [InlineData(0xA9AB, DimseService.Store, "Error: data set does not match SOP class")]
    [InlineData(0xC123, DimseService.Store, "Error: cannot understand")]
    [InlineData(0xB000, DimseService.Store, "Warning: coercion of data elements")]
    [InlineData(0xB007, DimseService.Store, "Warning: data set does not match SOP class")]
    [InlineData(0xB006, DimseService.Store, "Warning: elements discarded")]
    [InlineData(0x0122, DimseService.Store, "Refused: SOP class not supported")]
    [InlineData(0x0111, DimseService.Store, "Failure: duplicate SOP instance")]
    [InlineData(0xA701, DimseService.Move, "Refused: out of resources, unable to calculate number of matches")]
    [InlineData(0xA702, DimseService.Move, "Refused: out of resources, unable to perform sub-operations")]
    [InlineData(0xA801, DimseService.Move, "Refused: move destination unknown")]
    [InlineData(0xA900, DimseService.Move, "Error: identifier does not match SOP class")]
    [InlineData(0xC001, DimseService.Move, "Failed: unable to process")]
    [InlineData(0xB000, DimseService.Move, "Warning: sub-operations complete, one or more failures or warnings")]
    [InlineData(0xFE00, DimseService.Move, "Cancel: sub-operations terminated due to cancel indication")]
    [InlineData(0xFF00, DimseService.Move, "Pending: sub-operations are continuing")]
    [InlineData(0x0000, DimseService.Move, "Success: sub-operations complete, no failures")]
    [InlineData(0x0124, DimseService.Move, "Refused: not authorized")]
    [InlineData(0x0000, DimseService.Echo, "Success")]
    [InlineData(0x0211, DimseService.Echo, "Failure: unrecognized operation")]
    public void Describe(int status, DimseService service, string expected)
    {
        Assert.Equal(expected, DimseStatus.Describe((ushort)status, service));
    }

    [Fact]
    public void Unknown_codes_are_described_by_their_category()
    {
        Assert.Equal("Failure: unknown status", DimseStatus.Describe(0xD123, DimseService.Move));
        Assert.Equal("Warning: unknown status", DimseStatus.Describe(0xB123, DimseService.Move));
        Assert.Equal("Refused: move destination unknown (A801H)", DimseStatus.Format(0xA801, DimseService.Move));
    }

    /// <summary>What movescu 3.6.7 -v printed in "Received Final Move Response (...)" for a peer answering each code.</summary>
    [Theory]
    [InlineData(0x0000, "Success")]
    [InlineData(0xFF00, "Pending")]
    [InlineData(0xFE00, "Cancel: SubOperationsTerminatedDueToCancelIndication")]
    [InlineData(0xB000, "Warning: SubOperationsCompleteOneOrMoreFailures")]
    [InlineData(0xA701, "Refused: OutOfResourcesNumberOfMatches")]
    [InlineData(0xA702, "Refused: OutOfResourcesSubOperations")]
    [InlineData(0xA801, "Refused: MoveDestinationUnknown")]
    [InlineData(0xA900, "Error: DataSetDoesNotMatchSOPClass")]
    [InlineData(0xC000, "Failed: UnableToProcess")]
    [InlineData(0xC123, "Failed: UnableToProcess")]
    [InlineData(0xCFFF, "Failed: UnableToProcess")]
    [InlineData(0x0122, "Refused: SOPClassNotSupported")]
    [InlineData(0xA700, "Unknown Status: 0xa700")]
    [InlineData(0xA9FF, "Unknown Status: 0xa9ff")]
    [InlineData(0xB006, "Unknown Status: 0xb006")]
    [InlineData(0x0001, "Unknown Status: 0x1")]
    [InlineData(0x0107, "Unknown Status: 0x107")]
    [InlineData(0x0110, "Unknown Status: 0x110")]
    [InlineData(0x0213, "Unknown Status: 0x213")]
    [InlineData(0xFE01, "Unknown Status: 0xfe01")]
    [InlineData(0xFF01, "Unknown Status: 0xff01")]
    public void Move_statuses_are_named_as_movescu_names_them(int status, string expected) =>
        Assert.Equal(expected, DimseStatus.DcmtkMoveStatusText((ushort)status));
}
