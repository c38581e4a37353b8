using ActorMove.Network.Dimse;
using Xunit;

namespace ActorMove.Network.Tests.Dimse;

public class CommandDecodingErrorTests
{
    private static byte[] ValidEcho => CommandSetCodec.Encode(new CEchoRequest(1));

    private static DimseProtocolException DecodeFails(byte[] bytes, DimseProtocolError error)
    {
        var e = Assert.Throws<DimseProtocolException>(() => DimseMessage.Decode(bytes));
        Assert.Equal(error, e.Error);
        return e;
    }

    [Fact]
    public void Empty_command_is_malformed()
    {
        DecodeFails([], DimseProtocolError.MalformedCommand);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(13)]
    public void A_truncated_element_header_is_malformed_with_its_offset(int cut)
    {
        // The group length element (12 bytes) is whole; the next element's header or value is cut.
        var bytes = ValidEcho[..(12 + cut)];
        var e = DecodeFails(bytes, DimseProtocolError.MalformedCommand);
        Assert.Equal(12, e.Offset);
    }

    [Fact]
    public void A_value_running_past_the_end_is_malformed()
    {
        var bytes = ValidEcho[..^1];
        var e = DecodeFails(bytes, DimseProtocolError.MalformedCommand);
        Assert.Equal(ValidEcho.Length - 10, e.Offset); // the header of the last element (8 + 2 value bytes)
    }

    [Fact]
    public void An_element_outside_group_0000_is_malformed()
    {
        var bytes = ValidEcho.Concat(Hex.Parse("08001800 02000000 3100")).ToArray();
        DecodeFails(bytes, DimseProtocolError.MalformedCommand);
    }

    [Fact]
    public void Undefined_length_is_malformed()
    {
        var bytes = ValidEcho.Concat(Hex.Parse("00000209 ffffffff")).ToArray();
        DecodeFails(bytes, DimseProtocolError.MalformedCommand);
    }

    [Fact]
    public void A_repeated_element_is_malformed()
    {
        var bytes = ValidEcho.Concat(Hex.Parse("00001001 02000000 0200")).ToArray();
        DecodeFails(bytes, DimseProtocolError.MalformedCommand);
    }

    [Fact]
    public void Missing_command_field_is_invalid()
    {
        var bytes = new CommandSetCodec.CommandSetBuilder().Add(CommandTags.MessageId, 1).Add(CommandTags.CommandDataSetType, 0x0101).ToArray();
        DecodeFails(bytes, DimseProtocolError.InvalidCommand);
    }

    [Fact]
    public void Missing_data_set_type_is_invalid()
    {
        var bytes = new CommandSetCodec.CommandSetBuilder().Add(CommandTags.CommandField, 0x0030).Add(CommandTags.MessageId, 1)
            .Add(CommandTags.AffectedSopClassUid, "1.2.840.10008.1.1").ToArray();
        DecodeFails(bytes, DimseProtocolError.InvalidCommand);
    }

    [Theory]
    [InlineData(CommandTags.MessageId)]
    [InlineData(CommandTags.AffectedSopClassUid)]
    [InlineData(CommandTags.AffectedSopInstanceUid)]
    [InlineData(CommandTags.Priority)]
    public void C_STORE_RQ_without_a_required_element_is_invalid(uint missing)
    {
        var builder = new CommandSetCodec.CommandSetBuilder().Add(CommandTags.CommandField, 0x0001).Add(CommandTags.CommandDataSetType, 0x0001);
        if (missing != CommandTags.MessageId)
        {
            builder.Add(CommandTags.MessageId, 1);
        }

        if (missing != CommandTags.AffectedSopClassUid)
        {
            builder.Add(CommandTags.AffectedSopClassUid, "1.2.840.10008.5.1.4.1.1.2");
        }

        if (missing != CommandTags.AffectedSopInstanceUid)
        {
            builder.Add(CommandTags.AffectedSopInstanceUid, "1.2.3");
        }

        if (missing != CommandTags.Priority)
        {
            builder.Add(CommandTags.Priority, 0);
        }

        var e = DecodeFails(builder.ToArray(), DimseProtocolError.InvalidCommand);
        Assert.Contains(new ActorMove.Dicom.Core.DicomTag(missing).ToString(), e.Message);
    }

    [Fact]
    public void C_MOVE_RSP_without_status_is_invalid()
    {
        var bytes = new CommandSetCodec.CommandSetBuilder().Add(CommandTags.CommandField, 0x8021).Add(CommandTags.CommandDataSetType, 0x0101)
            .Add(CommandTags.MessageIdBeingRespondedTo, 1).ToArray();
        DecodeFails(bytes, DimseProtocolError.InvalidCommand);
    }

    [Fact]
    public void A_US_value_of_the_wrong_size_is_invalid()
    {
        var bytes = new CommandSetCodec.CommandSetBuilder().Add(CommandTags.CommandField, 0x0030).Add(CommandTags.CommandDataSetType, 0x0101)
            .AddRaw(CommandTags.MessageId, [1, 0, 0, 0]).Add(CommandTags.AffectedSopClassUid, "1.2.840.10008.1.1").ToArray();
        DecodeFails(bytes, DimseProtocolError.InvalidCommand);
    }

    [Theory]
    [InlineData(0x0001, 0x0101)] // C-STORE-RQ that says no data set follows
    [InlineData(0x0021, 0x0101)] // C-MOVE-RQ without identifier
    [InlineData(0x0030, 0x0001)] // C-ECHO-RQ with a data set
    [InlineData(0x8001, 0x0000)] // C-STORE-RSP with a data set
    [InlineData(0x0FFF, 0x0001)] // C-CANCEL-RQ with a data set
    public void A_data_set_flag_the_command_does_not_allow_is_invalid(ushort field, ushort dataSetType)
    {
        var bytes = new CommandSetCodec.CommandSetBuilder().Add(CommandTags.CommandField, field).Add(CommandTags.CommandDataSetType, dataSetType)
            .Add(CommandTags.MessageId, 1).Add(CommandTags.MessageIdBeingRespondedTo, 1).Add(CommandTags.Status, 0)
            .Add(CommandTags.AffectedSopClassUid, "1.2.840.10008.5.1.4.1.1.2").Add(CommandTags.AffectedSopInstanceUid, "1.2")
            .Add(CommandTags.Priority, 0).Add(CommandTags.MoveDestination, "X").ToArray();
        DecodeFails(bytes, DimseProtocolError.InvalidCommand);
    }

    [Fact]
    public void Any_data_set_type_other_than_0101_means_a_data_set_follows()
    {
        var bytes = new CommandSetCodec.CommandSetBuilder().Add(CommandTags.CommandField, 0x8021).Add(CommandTags.CommandDataSetType, 0xFEFE)
            .Add(CommandTags.MessageIdBeingRespondedTo, 1).Add(CommandTags.Status, 0xA900).ToArray();
        var response = Assert.IsType<CMoveResponse>(DimseMessage.Decode(bytes));
        Assert.True(response.HasIdentifier);
    }

    [Fact]
    public void Protocol_errors_map_to_abort_reasons()
    {
        Assert.Equal(AbortReasons.InvalidPduParameterValue, new DimseProtocolException(DimseProtocolError.MalformedCommand, "x").AbortReason);
        Assert.Equal(AbortReasons.InvalidPduParameterValue, new DimseProtocolException(DimseProtocolError.UnacceptedPresentationContext, "x").AbortReason);
        Assert.Equal(AbortReasons.UnexpectedPduParameter, new DimseProtocolException(DimseProtocolError.DataSetWithoutCommand, "x").AbortReason);
        Assert.Equal(AbortReasons.UnexpectedPduParameter, new DimseProtocolException(DimseProtocolError.CommandDuringDataSet, "x").AbortReason);
        Assert.Equal(AbortReasons.UnexpectedPdu, new DimseProtocolException(DimseProtocolError.IncompleteMessage, "x").AbortReason);
    }
}
