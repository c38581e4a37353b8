using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Network.Negotiation;

namespace ActorMove.Engine.Retrieve;

/// <summary>Where and what to move: one C-MOVE request.</summary>
/// <param name="Identifier">The C-MOVE identifier (query keys), e.g. QueryRetrieveLevel and StudyInstanceUID.</param>
/// <param name="CallingAeTitle">-aet; null takes the engine's AE title.</param>
/// <param name="MoveDestination">-aem; null takes the calling AE title, as movescu does.</param>
/// <param name="CancelAfterResponses">--cancel: send C-CANCEL once this many responses have arrived; null, 0 or less: never (movescu's --cancel 0).</param>
/// <param name="IdentifierSyntax">The encoding the identifier's values are in (a query file's syntax); explicit VR LE for built ones.</param>
/// <param name="IdentifierReadSyntax">
/// The transfer syntax the identifier was read in, where it is not <paramref name="IdentifierSyntax"/> (a deflated query
/// file, whose values are inflated): the -v dump of the request names it, as movescu's does.
/// </param>
/// <param name="KeepAssociation">
/// Leave the association open after the move, for the next move to the same archive with the same AE titles and model
/// (movescu runs its --repeat and all its query files on one association); the engine closes what is left open when
/// told to (<c>IRetrieveClient.CloseKeptAssociationsAsync</c>) or when it stops. <paramref name="AbortInsteadOfRelease"/>
/// then says how that association ends.
/// </param>
public sealed record MoveRequest(
    string Host,
    int Port,
    DicomDataset Identifier,
    QueryRetrieveModel Model = QueryRetrieveModel.PatientRoot,
    string CalledAeTitle = "ANY-SCP",
    string? CallingAeTitle = null,
    string? MoveDestination = null,
    int? CancelAfterResponses = null,
    bool AbortInsteadOfRelease = false,
    TransferSyntax? IdentifierSyntax = null,
    TransferSyntax? IdentifierReadSyntax = null,
    bool KeepAssociation = false)
{
    /// <summary>What an association kept open for a later move must have been made for.</summary>
    internal KeptAssociationKey KeptKey(string defaultCallingAeTitle) =>
        new(Host, Port, CalledAeTitle, CallingAeTitle ?? defaultCallingAeTitle, Model);
}

/// <summary>The archive, AE titles and model an association was negotiated for: a later move may reuse it only if all match.</summary>
internal readonly record struct KeptAssociationKey(string Host, int Port, string CalledAeTitle, string CallingAeTitle, QueryRetrieveModel Model);

/// <summary>The sub-operation counts of a C-MOVE response (PS3.7 9.1.4).</summary>
public readonly record struct SubOperationCounts(int? Remaining, int Completed, int Failed, int Warning);

/// <summary>What a running move has reported so far; sent for every pending response.</summary>
public sealed record MoveProgress(long JobId, ushort Status, SubOperationCounts Counts, int FilesWritten, long BytesWritten);

/// <summary>A file that an inbound store wrote for a move (or that --ignore received and dropped, then Path is null).</summary>
public sealed record StoredObject(string SopClassUid, string SopInstanceUid, string? Path, long Bytes, ushort Status);

/// <summary>How a move ended.</summary>
public enum MoveOutcome
{
    /// <summary>The final response was Success (0000).</summary>
    Success,

    /// <summary>The final response was a warning (e.g. B000, sub-operations complete with failures).</summary>
    Warning,

    /// <summary>The final response was Cancel (FE00) after our C-CANCEL.</summary>
    Cancelled,

    /// <summary>The final response was a failure status (e.g. A801 move destination unknown).</summary>
    Failed,

    /// <summary>The association could not be established (rejected, refused, timed out).</summary>
    AssociationFailed,

    /// <summary>The peer accepted none of our presentation contexts.</summary>
    NoPresentationContext,

    /// <summary>The association broke (abort, malformed PDU, timeout) before the final response.</summary>
    ConnectionLost,
}

/// <summary>The end of one C-MOVE: final status, counts, written files and the failed instances the archive listed.</summary>
public sealed record MoveResult(
    long JobId,
    MoveOutcome Outcome,
    ushort? FinalStatus,
    SubOperationCounts Counts,
    IReadOnlyList<StoredObject> Files,
    IReadOnlyList<string> FailedSopInstances,
    string? Error,
    TimeSpan Duration)
{
    /// <summary>What ended a move that failed without a final status (a rejected or refused association, a timeout, an abort), for callers that word it themselves.</summary>
    public Exception? Cause { get; init; }
}
