using ActorMove.Dicom.Core;
using ActorMove.Network.Dimse;
using Xunit;

namespace ActorMove.Network.Tests.Dimse;

/// <summary>
/// Exact command bytes. The C-ECHO-RQ and C-STORE-RQ vectors are the command PDVs DCMTK 3.6.7 sent on the wire
/// (echoscu, storescu -xi with a CT object, captured by a raw socket peer); the others are built element by element
/// from PS3.7 E.1 so each element's tag, length and padding can be read off.
/// </summary>
public class CommandEncodingTests
{
    // echoscu 127.0.0.1 <port>: message id 1.
    private const string EchoscuEchoRequest =
        "00000000 04000000 38000000" +
        "00000200 12000000 312e322e3834302e31303030382e312e3100" +
        "00000001 02000000 3000" +
        "00001001 02000000 0100" +
        "00000008 02000000 0101";

    // storescu -xi 127.0.0.1 <port> ct.dcm: CT Image Storage, instance 1.2.3.4.5.6.7, medium priority.
    private const string StorescuStoreRequest =
        "00000000 04000000 60000000" +
        "00000200 1a000000 312e322e3834302e31303030382e352e312e342e312e312e3200" +
        "00000001 02000000 0100" +
        "00001001 02000000 0100" +
        "00000007 02000000 0000" +
        "00000008 02000000 0100" +
        "00000010 0e000000 312e322e332e342e352e362e3700";

    [Fact]
    public void CEchoRequest_encodes_as_echoscu_sends_it()
    {
        Assert.Equal(Hex.Parse(EchoscuEchoRequest), CommandSetCodec.Encode(new CEchoRequest(1)));
    }

    [Fact]
    public void CEchoRequest_decodes_from_echoscu_bytes()
    {
        var message = Assert.IsType<CEchoRequest>(DimseMessage.Decode(Hex.Parse(EchoscuEchoRequest)));
        Assert.Equal(new CEchoRequest(1, "1.2.840.10008.1.1"), message);
        Assert.False(message.HasDataSet);
    }

    [Fact]
    public void CStoreRequest_encodes_as_storescu_sends_it()
    {
        var request = new CStoreRequest(1, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5.6.7");
        Assert.Equal(Hex.Parse(StorescuStoreRequest), CommandSetCodec.Encode(request));
    }

    [Fact]
    public void CStoreRequest_decodes_from_storescu_bytes()
    {
        var message = Assert.IsType<CStoreRequest>(DimseMessage.Decode(Hex.Parse(StorescuStoreRequest)));
        Assert.Equal(new CStoreRequest(1, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5.6.7", DimsePriority.Medium), message);
        Assert.Null(message.MoveOriginatorAeTitle);
        Assert.Null(message.MoveOriginatorMessageId);
        Assert.True(message.HasDataSet);
    }

    [Fact]
    public void CStoreRequest_with_move_originator_pads_the_AE_title_with_a_space()
    {
        var request = new CStoreRequest(7, "1.2.840.10008.5.1.4.1.1.4", "1.2.3", DimsePriority.High)
        {
            MoveOriginatorAeTitle = "MOVESCU",
            MoveOriginatorMessageId = 0x1234,
        };
        string expected =
            "00000000 04000000 72000000" +
            "00000200 1a000000 312e322e3834302e31303030382e352e312e342e312e312e3400" + // MR Image Storage, NUL padded
            "00000001 02000000 0100" +
            "00001001 02000000 0700" +
            "00000007 02000000 0100" + // high
            "00000008 02000000 0100" +
            "00000010 06000000 312e322e3300" + // "1.2.3" + NUL
            "00003010 08000000 4d4f564553435520" + // "MOVESCU "
            "00003110 02000000 3412";
        var bytes = CommandSetCodec.Encode(request);
        Assert.Equal(Hex.Parse(expected), bytes);
        Assert.Equal(request, DimseMessage.Decode(bytes));
    }

    [Fact]
    public void CStoreResponse_encodes_every_element_in_tag_order()
    {
        var response = new CStoreResponse(5, 0xB000, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.4")
        {
            ErrorComment = "coerced",
        };
        string expected =
            "00000000 04000000 6a000000" +
            "00000200 1a000000 312e322e3834302e31303030382e352e312e342e312e312e3200" +
            "00000001 02000000 0180" +
            "00002001 02000000 0500" +
            "00000008 02000000 0101" +
            "00000009 02000000 00b0" +
            "00000209 08000000 636f657263656420" + // "coerced" + space
            "00000010 08000000 312e322e332e3400";
        var bytes = CommandSetCodec.Encode(response);
        Assert.Equal(Hex.Parse(expected), bytes);
        var decoded = Assert.IsType<CStoreResponse>(DimseMessage.Decode(bytes));
        Assert.Equal(response, decoded);
        Assert.Equal(DimseStatusCategory.Warning, decoded.StatusCategory);
    }

    [Fact]
    public void CEchoResponse_round_trips()
    {
        var response = new CEchoResponse(3, 0x0000);
        string expected =
            "00000000 04000000 42000000" +
            "00000200 12000000 312e322e3834302e31303030382e312e3100" +
            "00000001 02000000 3080" +
            "00002001 02000000 0300" +
            "00000008 02000000 0101" +
            "00000009 02000000 0000";
        var bytes = CommandSetCodec.Encode(response);
        Assert.Equal(Hex.Parse(expected), bytes);
        Assert.Equal(response, DimseMessage.Decode(bytes));
    }

    [Fact]
    public void CMoveRequest_encodes_destination_and_priority()
    {
        var request = new CMoveRequest(1, "1.2.840.10008.5.1.4.1.2.2.2", "STORE_AE");
        string expected =
            "00000000 04000000 5c000000" +
            "00000200 1c000000 312e322e3834302e31303030382e352e312e342e312e322e322e3200" + // 27 chars + NUL
            "00000001 02000000 2100" +
            "00001001 02000000 0100" +
            "00000006 08000000 53544f52455f4145" + // "STORE_AE", even already
            "00000007 02000000 0000" +
            "00000008 02000000 0100";
        var bytes = CommandSetCodec.Encode(request);
        Assert.Equal(Hex.Parse(expected), bytes);
        var decoded = Assert.IsType<CMoveRequest>(DimseMessage.Decode(bytes));
        Assert.Equal(request, decoded);
        Assert.True(decoded.HasDataSet);
    }

    [Fact]
    public void CMoveResponse_carries_the_four_sub_operation_counts()
    {
        var response = new CMoveResponse(1, 0xFF00, "1.2.840.10008.5.1.4.1.2.1.2")
        {
            RemainingSuboperations = 10,
            CompletedSuboperations = 2,
            FailedSuboperations = 1,
            WarningSuboperations = 0,
        };
        string expected =
            "00000000 04000000 74000000" +
            "00000200 1c000000 312e322e3834302e31303030382e352e312e342e312e322e312e3200" +
            "00000001 02000000 2180" +
            "00002001 02000000 0100" +
            "00000008 02000000 0101" +
            "00000009 02000000 00ff" +
            "00002010 02000000 0a00" +
            "00002110 02000000 0200" +
            "00002210 02000000 0100" +
            "00002310 02000000 0000";
        var bytes = CommandSetCodec.Encode(response);
        Assert.Equal(Hex.Parse(expected), bytes);
        var decoded = Assert.IsType<CMoveResponse>(DimseMessage.Decode(bytes));
        Assert.Equal(response, decoded);
        Assert.Equal(DimseStatusCategory.Pending, decoded.StatusCategory);
        Assert.False(decoded.HasDataSet);
    }

    [Fact]
    public void CMoveResponse_with_identifier_and_offending_elements_round_trips()
    {
        var response = new CMoveResponse(9, 0xA900, null)
        {
            FailedSuboperations = 3,
            HasIdentifier = true,
            OffendingElements = [new DicomTag(0x0008, 0x0052), new DicomTag(0x0010, 0x0020)],
            ErrorId = 2,
        };
        var bytes = CommandSetCodec.Encode(response);
        var decoded = Assert.IsType<CMoveResponse>(DimseMessage.Decode(bytes));
        Assert.True(decoded.HasIdentifier);
        Assert.True(decoded.HasDataSet);
        Assert.Equal((ushort)3, decoded.FailedSuboperations);
        Assert.Null(decoded.RemainingSuboperations);
        Assert.Equal((ushort)2, decoded.ErrorId);
        Assert.Equal(response.OffendingElements, decoded.OffendingElements);
        Assert.Contains(Hex.Parse("00000109 08000000 08005200 10002000"), Windows(bytes, 16));
        Assert.Contains(Hex.Parse("00000008 02000000 0100"), Windows(bytes, 10));
    }

    [Fact]
    public void CCancelRequest_has_only_the_responded_to_id()
    {
        var request = new CCancelRequest(0x0102);
        string expected =
            "00000000 04000000 1e000000" +
            "00000001 02000000 ff0f" +
            "00002001 02000000 0201" +
            "00000008 02000000 0101";
        var bytes = CommandSetCodec.Encode(request);
        Assert.Equal(Hex.Parse(expected), bytes);
        Assert.Equal(request, DimseMessage.Decode(bytes));
    }

    [Fact]
    public void Unknown_group_0000_elements_are_skipped()
    {
        // C-ECHO-RQ with the retired (0000,0010) Command Recognition Code and an undefined (0000,7777) added.
        string bytes =
            "00000000 04000000 50000000" +
            "00000200 12000000 312e322e3834302e31303030382e312e3100" +
            "00001000 04000000 41424344" +
            "00000001 02000000 3000" +
            "00001001 02000000 0900" +
            "00000008 02000000 0101" +
            "00007777 04000000 01020304";
        Assert.Equal(new CEchoRequest(9), DimseMessage.Decode(Hex.Parse(bytes)));
    }

    [Fact]
    public void Space_padded_UIDs_and_AE_titles_are_trimmed()
    {
        var command = new CommandSetCodec.CommandSetBuilder()
            .Add(CommandTags.CommandField, (ushort)CommandField.CMoveRequest)
            .Add(CommandTags.CommandDataSetType, CommandTags.DataSetPresent)
            .Add(CommandTags.MessageId, 4)
            .Add(CommandTags.Priority, 2)
            .AddRaw(CommandTags.AffectedSopClassUid, "1.2.840.10008.5.1.4.1.2.2.2 "u8.ToArray())
            .AddRaw(CommandTags.MoveDestination, "  DEST  "u8.ToArray())
            .ToArray();
        Assert.Equal(new CMoveRequest(4, "1.2.840.10008.5.1.4.1.2.2.2", "DEST", DimsePriority.Low), DimseMessage.Decode(command));
    }

    [Fact]
    public void Encoding_into_a_buffer_writer_gives_the_same_bytes()
    {
        var request = new CStoreRequest(1, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5.6.7");
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        CommandSetCodec.Encode(request, writer);
        Assert.Equal(Hex.Parse(StorescuStoreRequest), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Commands_this_engine_does_not_serve_come_back_as_UnsupportedCommand()
    {
        var bytes = new CommandSetCodec.CommandSetBuilder()
            .Add(CommandTags.CommandField, (ushort)CommandField.CFindRequest)
            .Add(CommandTags.CommandDataSetType, CommandTags.DataSetPresent)
            .Add(CommandTags.MessageId, 2)
            .Add(CommandTags.AffectedSopClassUid, "1.2.840.10008.5.1.4.1.2.2.1")
            .Add(CommandTags.Priority, 0)
            .ToArray();
        var message = Assert.IsType<UnsupportedCommand>(DimseMessage.Decode(bytes));
        Assert.Equal(CommandField.CFindRequest, message.CommandField);
        Assert.True(message.HasDataSet);
        Assert.Equal(bytes, CommandSetCodec.Encode(message));
    }

    private static IEnumerable<byte[]> Windows(byte[] bytes, int size)
    {
        for (int i = 0; i + size <= bytes.Length; i++)
        {
            yield return bytes[i..(i + size)];
        }
    }
}
