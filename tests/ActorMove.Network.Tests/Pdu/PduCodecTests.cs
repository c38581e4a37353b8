using System.Buffers;
using ActorMove.Network.Pdu;
using Xunit;
using static ActorMove.Network.Tests.Bytes;

namespace ActorMove.Network.Tests.Pdu;

public class PduCodecTests
{
    private static readonly PduLimits Limits = new(16384);

    private const string Verification = "1.2.840.10008.1.1";
    private const string ImplicitLittleEndian = "1.2.840.10008.1.2";
    private const string ExplicitLittleEndian = "1.2.840.10008.1.2.1";
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    private static DicomPdu Decode(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(PduReader.TryRead(ref buffer, Limits, out var pdu));
        Assert.Equal(0, buffer.Length);
        return pdu;
    }

    private static void AssertRoundTrip(DicomPdu pdu, byte[] expected)
    {
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(PduWriter.ToArray(pdu)));
        Assert.Equal(pdu, Decode(expected));
        // A pipe hands data over in segments: decoding must not depend on where they are cut.
        var segmented = Segmented(expected, 3);
        Assert.True(PduReader.TryRead(ref segmented, Limits, out var fromSegments));
        Assert.Equal(pdu, fromSegments);
    }

    [Fact]
    public void ReleaseRequest_is_type_5_with_four_reserved_bytes()
    {
        AssertRoundTrip(ReleaseRequest.Instance, Hex("05 00 00000004 00000000"));
    }

    [Fact]
    public void ReleaseResponse_is_type_6_with_four_reserved_bytes()
    {
        AssertRoundTrip(ReleaseResponse.Instance, Hex("06 00 00000004 00000000"));
    }

    [Theory]
    [InlineData(AbortSource.ServiceUser, AbortReason.NotSpecified, "07 00 00000004 00 00 00 00")]
    [InlineData(AbortSource.ServiceProvider, AbortReason.UnrecognizedPdu, "07 00 00000004 00 00 02 01")]
    [InlineData(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue, "07 00 00000004 00 00 02 06")]
    public void Abort_carries_source_and_reason_in_the_last_two_bytes(AbortSource source, AbortReason reason, string hex)
    {
        AssertRoundTrip(new Abort(source, reason), Hex(hex));
    }

    [Theory]
    [InlineData(RejectResult.Permanent, RejectSource.ServiceUser, 7, "03 00 00000004 00 01 01 07")]
    [InlineData(RejectResult.Transient, RejectSource.ServiceProviderPresentation, 2, "03 00 00000004 00 02 03 02")]
    [InlineData(RejectResult.Permanent, RejectSource.ServiceProviderAcse, 2, "03 00 00000004 00 01 02 02")]
    public void AssociateReject_carries_result_source_and_reason(RejectResult result, RejectSource source, byte reason, string hex)
    {
        AssertRoundTrip(new AssociateReject(result, source, reason), Hex(hex));
    }

    [Fact]
    public void AssociateReject_reason_text_depends_on_the_source()
    {
        Assert.Equal("Called AE Title Not Recognized", new AssociateReject(RejectResult.Permanent, RejectReasonServiceUser.CalledAeTitleNotRecognized).ReasonText);
        Assert.Equal("Protocol Version Not Supported", new AssociateReject(RejectResult.Permanent, RejectReasonAcse.ProtocolVersionNotSupported).ReasonText);
        Assert.Equal("Local Limit Exceeded", new AssociateReject(RejectResult.Transient, RejectReasonPresentation.LocalLimitExceeded).ReasonText);
    }

    [Fact]
    public void DataTransfer_holds_pdv_items_with_context_id_and_control_header()
    {
        var pdu = new DataTransfer(new[]
        {
            new PresentationDataValue(1, IsCommand: true, IsLastFragment: true, new ReadOnlySequence<byte>(Hex("AABBCC"))),
            new PresentationDataValue(3, IsCommand: false, IsLastFragment: false, new ReadOnlySequence<byte>(Hex("01020304"))),
        });
        var expected = Hex("04 00 00000013  00000005 01 03 AABBCC  00000006 03 00 01020304");
        AssertRoundTrip(pdu, expected);
    }

    [Fact]
    public void DataTransfer_values_are_slices_of_the_input_not_copies()
    {
        var bytes = Hex("04 00 0000000A 00000006 05 02 DEADBEEF");
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(PduReader.TryRead(ref buffer, Limits, out var pdu));
        var value = Assert.Single(((DataTransfer)pdu).Values);
        Assert.Equal(5, value.PresentationContextId);
        Assert.False(value.IsCommand);
        Assert.True(value.IsLastFragment);
        Assert.Same(bytes, GetArray(value.Data));
        Assert.Equal(12, GetOffset(value.Data));
    }

    private static byte[] GetArray(ReadOnlySequence<byte> data) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data.First, out var segment) ? segment.Array! : [];

    private static int GetOffset(ReadOnlySequence<byte> data) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data.First, out var segment) ? segment.Offset : -1;

    private static AssociateRequest FullRequest() =>
        new("STORESCP", "ACTORMOVE",
            new[]
            {
                new PresentationContextProposal(1, Verification, new[] { ImplicitLittleEndian }),
                new PresentationContextProposal(3, CtImageStorage, new[] { ExplicitLittleEndian, ImplicitLittleEndian }),
            },
            new UserInformation(16384, "1.2.3.4", "ACTORMOVE_010", new AsynchronousOperationsWindow(1, 1))
            {
                RoleSelections = new[] { new RoleSelection(CtImageStorage, ScuRole: false, ScpRole: true) },
                RawSubItems = new[]
                {
                    new RawSubItem(ItemType.SopClassExtendedNegotiation, Cat(U16(CtImageStorage.Length), Ascii(CtImageStorage), Hex("01"))),
                    new RawSubItem(ItemType.UserIdentityRequest, Cat(Hex("01 00"), U16(4), Ascii("user"), U16(0))),
                },
            });

    private static byte[] FullRequestBytes(bool withUnknownSubItem = false) => PduBytes(0x01,
        Hex("0001 0000"), AeTitle("STORESCP"), AeTitle("ACTORMOVE"), new byte[32],
        Item(0x10, Ascii("1.2.840.10008.3.1.1.1")),
        Item(0x20, Hex("01 00 00 00"), Item(0x30, Ascii(Verification)), Item(0x40, Ascii(ImplicitLittleEndian))),
        Item(0x20, Hex("03 00 00 00"), Item(0x30, Ascii(CtImageStorage)), Item(0x40, Ascii(ExplicitLittleEndian)), Item(0x40, Ascii(ImplicitLittleEndian))),
        Item(0x50,
            Item(0x51, U32(16384)),
            Item(0x52, Ascii("1.2.3.4")),
            Item(0x53, Hex("0001 0001")),
            Item(0x54, U16(CtImageStorage.Length), Ascii(CtImageStorage), Hex("00 01")),
            Item(0x55, Ascii("ACTORMOVE_010")),
            withUnknownSubItem ? Item(0x5F, Hex("0102")) : [],
            Item(0x56, U16(CtImageStorage.Length), Ascii(CtImageStorage), Hex("01")),
            Item(0x58, Hex("01 00"), U16(4), Ascii("user"), U16(0))));

    [Fact]
    public void AssociateRequest_encodes_every_item_and_sub_item()
    {
        AssertRoundTrip(FullRequest(), FullRequestBytes());
    }

    [Fact]
    public void AssociateRequest_unknown_user_information_sub_items_are_skipped()
    {
        Assert.Equal(FullRequest(), Decode(FullRequestBytes(withUnknownSubItem: true)));
    }

    [Fact]
    public void AssociateRequest_padding_of_ae_titles_and_uids_is_removed()
    {
        var bytes = PduBytes(0x01, Hex("0001 0000"), Ascii("  CALLED        "), AeTitle("CALLING"), new byte[32],
            Item(0x10, Ascii("1.2.840.10008.3.1.1.1"), [0]),
            Item(0x20, Hex("01 00 00 00"), Item(0x30, Ascii(Verification), [0]), Item(0x40, Ascii(ImplicitLittleEndian))),
            Item(0x50, Item(0x51, U32(0)), Item(0x52, Ascii("1.2.3"))));
        var request = Assert.IsType<AssociateRequest>(Decode(bytes));
        Assert.Equal("CALLED", request.CalledAeTitle);
        Assert.Equal("CALLING", request.CallingAeTitle);
        Assert.Equal(UpperLayer.DicomApplicationContext, request.ApplicationContextName);
        Assert.Equal(Verification, request.PresentationContexts[0].AbstractSyntax);
        Assert.Equal(0u, request.UserInformation.MaximumLength);
        Assert.Null(request.UserInformation.ImplementationVersionName);
    }

    [Fact]
    public void AssociateAccept_encodes_results_per_context()
    {
        var accept = new AssociateAccept("STORESCP", "ACTORMOVE",
            new[]
            {
                new PresentationContextResult(1, PresentationContextResultReason.Acceptance, ImplicitLittleEndian),
                new PresentationContextResult(3, PresentationContextResultReason.AbstractSyntaxNotSupported, ExplicitLittleEndian),
            },
            new UserInformation(32768, "1.2.3.4", "OTHER")
            {
                RoleSelections = new[] { new RoleSelection(CtImageStorage, ScuRole: false, ScpRole: true) },
            });
        var expected = PduBytes(0x02,
            Hex("0001 0000"), AeTitle("STORESCP"), AeTitle("ACTORMOVE"), new byte[32],
            Item(0x10, Ascii("1.2.840.10008.3.1.1.1")),
            Item(0x21, Hex("01 00 00 00"), Item(0x40, Ascii(ImplicitLittleEndian))),
            Item(0x21, Hex("03 00 03 00"), Item(0x40, Ascii(ExplicitLittleEndian))),
            Item(0x50,
                Item(0x51, U32(32768)),
                Item(0x52, Ascii("1.2.3.4")),
                Item(0x54, U16(CtImageStorage.Length), Ascii(CtImageStorage), Hex("00 01")),
                Item(0x55, Ascii("OTHER"))));
        AssertRoundTrip(accept, expected);
        Assert.NotNull(accept.FindAccepted(1));
        Assert.Null(accept.FindAccepted(3));
    }

    [Fact]
    public void AssociateAccept_rejected_context_without_transfer_syntax_is_accepted()
    {
        var bytes = PduBytes(0x02, Hex("0001 0000"), AeTitle("A"), AeTitle("B"), new byte[32],
            Item(0x10, Ascii("1.2.840.10008.3.1.1.1")),
            Item(0x21, Hex("05 00 04 00")),
            Item(0x50, Item(0x51, U32(4096)), Item(0x52, Ascii("1.2"))));
        var accept = Assert.IsType<AssociateAccept>(Decode(bytes));
        Assert.Equal(new PresentationContextResult(5, PresentationContextResultReason.TransferSyntaxesNotSupported, ""), accept.PresentationContexts[0]);
    }

    [Fact]
    public void TryRead_waits_for_the_whole_pdu()
    {
        var bytes = FullRequestBytes();
        for (int length = 0; length < bytes.Length; length++)
        {
            var partial = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.False(PduReader.TryRead(ref partial, Limits, out _));
            Assert.Equal(length, partial.Length);
        }
    }

    [Fact]
    public void TryRead_stops_after_one_pdu_and_leaves_the_next()
    {
        var bytes = Cat(Hex("05 00 00000004 00000000"), Hex("07 00 00000004 00 00 02 01"));
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(PduReader.TryRead(ref buffer, Limits, out var first));
        Assert.IsType<ReleaseRequest>(first);
        Assert.True(PduReader.TryRead(ref buffer, Limits, out var second));
        Assert.Equal(new Abort(AbortSource.ServiceProvider, AbortReason.UnrecognizedPdu), second);
        Assert.Equal(0, buffer.Length);
    }

    private static PduFormatException Malformed(byte[] bytes, PduLimits? limits = null)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        var l = limits ?? Limits;
        return Assert.Throws<PduFormatException>(() => PduReader.TryRead(ref buffer, l, out _));
    }

    [Theory]
    [InlineData("00 00 00000004 00000000")]
    [InlineData("08 00 00000004 00000000")]
    [InlineData("FF 00 00000004")]
    public void Unknown_pdu_type_is_unrecognized_pdu(string hex)
    {
        var error = Malformed(Hex(hex));
        Assert.Equal(AbortReason.UnrecognizedPdu, error.Reason);
        Assert.Equal(new Abort(AbortSource.ServiceProvider, AbortReason.UnrecognizedPdu), error.ToAbort());
    }

    [Fact]
    public void Data_transfer_longer_than_our_maximum_is_refused_from_the_header_alone()
    {
        // Only the header: the refusal must not wait for the 16385 body bytes.
        var error = Malformed(Hex("04 00 00004001"));
        Assert.Equal(AbortReason.InvalidPduParameterValue, error.Reason);
    }

    [Fact]
    public void Data_transfer_of_exactly_our_maximum_is_read()
    {
        var body = Cat(U32(16384 - 4), Hex("01 03"), new byte[16384 - 6]);
        var pdu = Assert.IsType<DataTransfer>(Decode(Cat(Hex("04 00"), U32(body.Length), body)));
        Assert.Equal(16384 - 6, pdu.Values[0].Data.Length);
    }

    [Fact]
    public void Association_pdu_longer_than_its_limit_is_refused_from_the_header_alone()
    {
        var error = Malformed(Hex("01 00 00100001"), new PduLimits(16384, 1024 * 1024));
        Assert.Equal(AbortReason.InvalidPduParameterValue, error.Reason);
    }

    [Theory]
    [InlineData("05 00 00000005 0000000000")]
    [InlineData("06 00 00000003 000000")]
    [InlineData("07 00 00000000")]
    [InlineData("03 00 00000006 000101070000")]
    public void Fixed_length_pdus_with_another_length_are_invalid(string hex)
    {
        Assert.Equal(AbortReason.InvalidPduParameterValue, Malformed(Hex(hex)).Reason);
    }

    [Theory]
    [InlineData("04 00 0000000A 00000007 01 03 AABBCCDD")] // PDV length runs past the PDU
    [InlineData("04 00 00000006 00000001 01 03")] // PDV length below the 2 header bytes
    [InlineData("04 00 00000008 00000002 01 03 0000")] // 2 bytes left, too few for another PDV header
    [InlineData("04 00 00000000")] // no PDV at all
    public void Pdv_item_lengths_that_disagree_with_the_pdu_are_invalid(string hex)
    {
        Assert.Equal(AbortReason.InvalidPduParameterValue, Malformed(Hex(hex)).Reason);
    }

    [Fact]
    public void Associate_request_shorter_than_its_fixed_fields_is_invalid()
    {
        Assert.Equal(AbortReason.InvalidPduParameterValue, Malformed(PduBytes(0x01, Hex("0001 0000"), AeTitle("A"))).Reason);
    }

    [Fact]
    public void Item_length_past_the_end_of_the_pdu_is_invalid()
    {
        var bytes = PduBytes(0x01, Hex("0001 0000"), AeTitle("A"), AeTitle("B"), new byte[32],
            Hex("10 00 0040"), Ascii("1.2.840.10008.3.1.1.1"));
        Assert.Equal(AbortReason.InvalidPduParameterValue, Malformed(bytes).Reason);
    }

    [Fact]
    public void Sub_item_length_past_the_end_of_its_item_is_invalid()
    {
        var bytes = PduBytes(0x01, Hex("0001 0000"), AeTitle("A"), AeTitle("B"), new byte[32],
            Item(0x10, Ascii("1.2.840.10008.3.1.1.1")),
            Item(0x20, Hex("01 00 00 00"), Hex("30 00 0020"), Ascii(Verification)),
            Item(0x50, Item(0x51, U32(4096))));
        Assert.Equal(AbortReason.InvalidPduParameterValue, Malformed(bytes).Reason);
    }

    [Fact]
    public void Unknown_item_type_in_associate_request_is_unrecognized_parameter()
    {
        var bytes = PduBytes(0x01, Hex("0001 0000"), AeTitle("A"), AeTitle("B"), new byte[32],
            Item(0x10, Ascii("1.2.840.10008.3.1.1.1")), Item(0x99, Hex("00")), Item(0x50, Item(0x51, U32(4096))));
        Assert.Equal(AbortReason.UnrecognizedPduParameter, Malformed(bytes).Reason);
    }

    [Fact]
    public void Accept_context_item_in_a_request_is_unexpected_parameter()
    {
        var bytes = PduBytes(0x01, Hex("0001 0000"), AeTitle("A"), AeTitle("B"), new byte[32],
            Item(0x10, Ascii("1.2.840.10008.3.1.1.1")), Item(0x21, Hex("01 00 00 00"), Item(0x40, Ascii(ImplicitLittleEndian))),
            Item(0x50, Item(0x51, U32(4096))));
        Assert.Equal(AbortReason.UnexpectedPduParameter, Malformed(bytes).Reason);
    }

    [Fact]
    public void User_information_without_maximum_length_is_invalid()
    {
        var bytes = PduBytes(0x01, Hex("0001 0000"), AeTitle("A"), AeTitle("B"), new byte[32],
            Item(0x10, Ascii("1.2.840.10008.3.1.1.1")), Item(0x50, Item(0x52, Ascii("1.2"))));
        Assert.Equal(AbortReason.InvalidPduParameterValue, Malformed(bytes).Reason);
    }

    [Fact]
    public void Maximum_length_sub_item_of_the_wrong_size_is_invalid()
    {
        var bytes = PduBytes(0x01, Hex("0001 0000"), AeTitle("A"), AeTitle("B"), new byte[32],
            Item(0x10, Ascii("1.2.840.10008.3.1.1.1")), Item(0x50, Item(0x51, Hex("0000 10"))));
        Assert.Equal(AbortReason.InvalidPduParameterValue, Malformed(bytes).Reason);
    }

    [Fact]
    public void Writer_refuses_ae_titles_longer_than_16_characters()
    {
        var request = FullRequest() with { CalledAeTitle = "THIS_TITLE_IS_TOO_LONG" };
        Assert.Throws<ArgumentException>(() => PduWriter.ToArray(request));
    }
}
