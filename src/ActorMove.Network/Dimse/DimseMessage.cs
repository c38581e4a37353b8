using ActorMove.Dicom.Core;

namespace ActorMove.Network.Dimse;

/// <summary>A DIMSE message's command (PS3.7 9.3); the data set, when one follows, travels separately.</summary>
public abstract record DimseMessage
{
    public const string VerificationSopClassUid = "1.2.840.10008.1.1";

    public abstract CommandField CommandField { get; }

    /// <summary>Whether a data set (C-STORE object, C-MOVE identifier) follows the command.</summary>
    public abstract bool HasDataSet { get; }

    internal abstract void WriteCommand(CommandSetCodec.CommandSetBuilder command);

    private protected void WriteCommon(CommandSetCodec.CommandSetBuilder command) =>
        command.Add(CommandTags.CommandField, (ushort)CommandField)
            .Add(CommandTags.CommandDataSetType, HasDataSet ? CommandTags.DataSetPresent : CommandTags.NoDataSet);

    /// <summary>Decodes a complete command set; a command that does not parse raises <see cref="DimseProtocolException"/>.</summary>
    public static DimseMessage Decode(ReadOnlySpan<byte> command) => Decode(CommandSetCodec.Read(command));

    public static DimseMessage Decode(CommandSet command)
    {
        var field = (CommandField)command.GetRequiredUInt16(CommandTags.CommandField, "A command");
        ushort dataSetType = command.GetRequiredUInt16(CommandTags.CommandDataSetType, $"{field}");
        bool hasDataSet = dataSetType != CommandTags.NoDataSet;
        DimseMessage message = field switch
        {
            CommandField.CEchoRequest => CEchoRequest.Read(command),
            CommandField.CEchoResponse => CEchoResponse.Read(command),
            CommandField.CStoreRequest => CStoreRequest.Read(command),
            CommandField.CStoreResponse => CStoreResponse.Read(command),
            CommandField.CMoveRequest => CMoveRequest.Read(command),
            CommandField.CMoveResponse => CMoveResponse.Read(command, hasDataSet),
            CommandField.CCancelRequest => CCancelRequest.Read(command),
            _ => new UnsupportedCommand(field, hasDataSet, command),
        };

        if (message.HasDataSet != hasDataSet)
        {
            throw new DimseProtocolException(DimseProtocolError.InvalidCommand,
                $"{field} says {(hasDataSet ? "a data set follows" : "no data set follows")} (0000,0800 = {dataSetType:X4}H), which PS3.7 does not allow for it");
        }

        return message;
    }
}

/// <summary>Common to all responses: the status and the optional elements that explain it (PS3.7 C).</summary>
public abstract record DimseResponse(ushort MessageIdBeingRespondedTo, ushort Status) : DimseMessage
{
    public string? ErrorComment { get; init; }
    public IReadOnlyList<DicomTag>? OffendingElements { get; init; }
    public ushort? ErrorId { get; init; }

    public DimseStatusCategory StatusCategory => DimseStatus.Classify(Status);

    private protected void WriteResponse(CommandSetCodec.CommandSetBuilder command)
    {
        WriteCommon(command);
        command.Add(CommandTags.MessageIdBeingRespondedTo, MessageIdBeingRespondedTo).Add(CommandTags.Status, Status);
        if (ErrorComment is not null)
        {
            command.Add(CommandTags.ErrorComment, ErrorComment);
        }

        if (OffendingElements is not null)
        {
            command.Add(CommandTags.OffendingElement, OffendingElements);
        }

        if (ErrorId is not null)
        {
            command.Add(CommandTags.ErrorId, ErrorId.Value);
        }
    }

    private protected static (ushort MessageId, ushort Status) ReadResponse(CommandSet command, string name) =>
        (command.GetRequiredUInt16(CommandTags.MessageIdBeingRespondedTo, name), command.GetRequiredUInt16(CommandTags.Status, name));

    private protected T WithDetails<T>(CommandSet command)
        where T : DimseResponse =>
        (T)(this with
        {
            ErrorComment = command.GetString(CommandTags.ErrorComment),
            OffendingElements = command.GetTags(CommandTags.OffendingElement),
            ErrorId = command.GetUInt16(CommandTags.ErrorId),
        });
}

public sealed record CEchoRequest(ushort MessageId, string AffectedSopClassUid = DimseMessage.VerificationSopClassUid) : DimseMessage
{
    public override CommandField CommandField => CommandField.CEchoRequest;
    public override bool HasDataSet => false;

    internal override void WriteCommand(CommandSetCodec.CommandSetBuilder command)
    {
        WriteCommon(command);
        command.Add(CommandTags.MessageId, MessageId).Add(CommandTags.AffectedSopClassUid, AffectedSopClassUid);
    }

    internal static CEchoRequest Read(CommandSet command) => new(
        command.GetRequiredUInt16(CommandTags.MessageId, "C-ECHO-RQ"),
        command.GetRequiredString(CommandTags.AffectedSopClassUid, "C-ECHO-RQ"));
}

public sealed record CEchoResponse(ushort MessageIdBeingRespondedTo, ushort Status,
    string? AffectedSopClassUid = DimseMessage.VerificationSopClassUid) : DimseResponse(MessageIdBeingRespondedTo, Status)
{
    public override CommandField CommandField => CommandField.CEchoResponse;
    public override bool HasDataSet => false;

    internal override void WriteCommand(CommandSetCodec.CommandSetBuilder command)
    {
        WriteResponse(command);
        if (AffectedSopClassUid is not null)
        {
            command.Add(CommandTags.AffectedSopClassUid, AffectedSopClassUid);
        }
    }

    internal static CEchoResponse Read(CommandSet command)
    {
        var (id, status) = ReadResponse(command, "C-ECHO-RSP");
        return new CEchoResponse(id, status, command.GetString(CommandTags.AffectedSopClassUid)).WithDetails<CEchoResponse>(command);
    }
}

/// <summary>
/// C-STORE-RQ (PS3.7 9.3.1.1). A store that is a C-MOVE sub-operation names the move's originator AE and message id.
/// </summary>
public sealed record CStoreRequest(ushort MessageId, string AffectedSopClassUid, string AffectedSopInstanceUid,
    DimsePriority Priority = DimsePriority.Medium) : DimseMessage
{
    public string? MoveOriginatorAeTitle { get; init; }
    public ushort? MoveOriginatorMessageId { get; init; }

    public override CommandField CommandField => CommandField.CStoreRequest;
    public override bool HasDataSet => true;

    internal override void WriteCommand(CommandSetCodec.CommandSetBuilder command)
    {
        WriteCommon(command);
        command.Add(CommandTags.MessageId, MessageId)
            .Add(CommandTags.AffectedSopClassUid, AffectedSopClassUid)
            .Add(CommandTags.AffectedSopInstanceUid, AffectedSopInstanceUid)
            .Add(CommandTags.Priority, (ushort)Priority);
        if (MoveOriginatorAeTitle is not null)
        {
            command.Add(CommandTags.MoveOriginatorApplicationEntityTitle, MoveOriginatorAeTitle);
        }

        if (MoveOriginatorMessageId is not null)
        {
            command.Add(CommandTags.MoveOriginatorMessageId, MoveOriginatorMessageId.Value);
        }
    }

    internal static CStoreRequest Read(CommandSet command) =>
        new(command.GetRequiredUInt16(CommandTags.MessageId, "C-STORE-RQ"),
            command.GetRequiredString(CommandTags.AffectedSopClassUid, "C-STORE-RQ"),
            command.GetRequiredString(CommandTags.AffectedSopInstanceUid, "C-STORE-RQ"),
            (DimsePriority)command.GetRequiredUInt16(CommandTags.Priority, "C-STORE-RQ"))
        {
            MoveOriginatorAeTitle = command.GetString(CommandTags.MoveOriginatorApplicationEntityTitle),
            MoveOriginatorMessageId = command.GetUInt16(CommandTags.MoveOriginatorMessageId),
        };
}

public sealed record CStoreResponse(ushort MessageIdBeingRespondedTo, ushort Status, string? AffectedSopClassUid,
    string? AffectedSopInstanceUid) : DimseResponse(MessageIdBeingRespondedTo, Status)
{
    public override CommandField CommandField => CommandField.CStoreResponse;
    public override bool HasDataSet => false;

    internal override void WriteCommand(CommandSetCodec.CommandSetBuilder command)
    {
        WriteResponse(command);
        if (AffectedSopClassUid is not null)
        {
            command.Add(CommandTags.AffectedSopClassUid, AffectedSopClassUid);
        }

        if (AffectedSopInstanceUid is not null)
        {
            command.Add(CommandTags.AffectedSopInstanceUid, AffectedSopInstanceUid);
        }
    }

    internal static CStoreResponse Read(CommandSet command)
    {
        var (id, status) = ReadResponse(command, "C-STORE-RSP");
        return new CStoreResponse(id, status, command.GetString(CommandTags.AffectedSopClassUid),
            command.GetString(CommandTags.AffectedSopInstanceUid)).WithDetails<CStoreResponse>(command);
    }
}

/// <summary>C-MOVE-RQ (PS3.7 9.3.4.1); the identifier data set always follows.</summary>
public sealed record CMoveRequest(ushort MessageId, string AffectedSopClassUid, string MoveDestination,
    DimsePriority Priority = DimsePriority.Medium) : DimseMessage
{
    public override CommandField CommandField => CommandField.CMoveRequest;
    public override bool HasDataSet => true;

    internal override void WriteCommand(CommandSetCodec.CommandSetBuilder command)
    {
        WriteCommon(command);
        command.Add(CommandTags.MessageId, MessageId)
            .Add(CommandTags.AffectedSopClassUid, AffectedSopClassUid)
            .Add(CommandTags.MoveDestination, MoveDestination)
            .Add(CommandTags.Priority, (ushort)Priority);
    }

    internal static CMoveRequest Read(CommandSet command) =>
        new(command.GetRequiredUInt16(CommandTags.MessageId, "C-MOVE-RQ"),
            command.GetRequiredString(CommandTags.AffectedSopClassUid, "C-MOVE-RQ"),
            command.GetRequiredString(CommandTags.MoveDestination, "C-MOVE-RQ"),
            (DimsePriority)command.GetRequiredUInt16(CommandTags.Priority, "C-MOVE-RQ"));
}

/// <summary>
/// C-MOVE-RSP (PS3.7 9.3.4.2). The sub-operation counts are optional on the wire (a final response may leave out
/// Remaining); an identifier follows when the peer lists failed instances (0008,0058).
/// </summary>
public sealed record CMoveResponse(ushort MessageIdBeingRespondedTo, ushort Status, string? AffectedSopClassUid)
    : DimseResponse(MessageIdBeingRespondedTo, Status)
{
    public ushort? RemainingSuboperations { get; init; }
    public ushort? CompletedSuboperations { get; init; }
    public ushort? FailedSuboperations { get; init; }
    public ushort? WarningSuboperations { get; init; }
    public bool HasIdentifier { get; init; }

    public override CommandField CommandField => CommandField.CMoveResponse;
    public override bool HasDataSet => HasIdentifier;

    internal override void WriteCommand(CommandSetCodec.CommandSetBuilder command)
    {
        WriteResponse(command);
        if (AffectedSopClassUid is not null)
        {
            command.Add(CommandTags.AffectedSopClassUid, AffectedSopClassUid);
        }

        AddCount(command, CommandTags.NumberOfRemainingSuboperations, RemainingSuboperations);
        AddCount(command, CommandTags.NumberOfCompletedSuboperations, CompletedSuboperations);
        AddCount(command, CommandTags.NumberOfFailedSuboperations, FailedSuboperations);
        AddCount(command, CommandTags.NumberOfWarningSuboperations, WarningSuboperations);
    }

    private static void AddCount(CommandSetCodec.CommandSetBuilder command, uint tag, ushort? count)
    {
        if (count is not null)
        {
            command.Add(tag, count.Value);
        }
    }

    internal static CMoveResponse Read(CommandSet command, bool hasIdentifier)
    {
        var (id, status) = ReadResponse(command, "C-MOVE-RSP");
        return new CMoveResponse(id, status, command.GetString(CommandTags.AffectedSopClassUid))
        {
            RemainingSuboperations = command.GetUInt16(CommandTags.NumberOfRemainingSuboperations),
            CompletedSuboperations = command.GetUInt16(CommandTags.NumberOfCompletedSuboperations),
            FailedSuboperations = command.GetUInt16(CommandTags.NumberOfFailedSuboperations),
            WarningSuboperations = command.GetUInt16(CommandTags.NumberOfWarningSuboperations),
            HasIdentifier = hasIdentifier,
        }.WithDetails<CMoveResponse>(command);
    }
}

/// <summary>C-CANCEL-RQ (PS3.7 9.3.2.3): names the request it cancels, has no message id of its own.</summary>
public sealed record CCancelRequest(ushort MessageIdBeingRespondedTo) : DimseMessage
{
    public override CommandField CommandField => CommandField.CCancelRequest;
    public override bool HasDataSet => false;

    internal override void WriteCommand(CommandSetCodec.CommandSetBuilder command)
    {
        WriteCommon(command);
        command.Add(CommandTags.MessageIdBeingRespondedTo, MessageIdBeingRespondedTo);
    }

    internal static CCancelRequest Read(CommandSet command) =>
        new(command.GetRequiredUInt16(CommandTags.MessageIdBeingRespondedTo, "C-CANCEL-RQ"));
}

/// <summary>
/// A well-formed command this engine does not serve (C-FIND, C-GET, N-*): handed up as is so the caller can answer or
/// abort as DCMTK does.
/// </summary>
public sealed record UnsupportedCommand(CommandField Field, bool CarriesDataSet, CommandSet Command) : DimseMessage
{
    public override CommandField CommandField => Field;
    public override bool HasDataSet => CarriesDataSet;

    internal override void WriteCommand(CommandSetCodec.CommandSetBuilder command)
    {
        foreach (uint tag in Command.Tags.Where(t => t != CommandTags.CommandGroupLength))
        {
            Command.TryGetRaw(tag, out var value);
            command.AddRaw(tag, value.ToArray());
        }
    }
}
