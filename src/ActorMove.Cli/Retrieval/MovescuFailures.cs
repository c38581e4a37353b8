using System.Globalization;
using System.Net.Sockets;
using ActorMove.Network.Association;
using ActorMove.Network.Pdu;
using ActorMove.Network.Services;
using Serilog;

namespace ActorMove.Cli.Retrieval;

/// <summary>
/// movescu 3.6.7's words for an association it could not make, as observed against peers that reject, refuse, stay
/// silent or accept no context: its lines are what scripts and people watching a migration already look for.
/// </summary>
internal static class MovescuFailures
{
    /// <summary>Logs movescu's lines for <paramref name="cause"/>; false when it has none for it (the caller words it).</summary>
    public static bool TryLog(ILogger logger, Exception? cause, string peer)
    {
        switch (cause)
        {
            case NoAcceptedPresentationContextException { NoneAccepted: true }:
                logger.Fatal("No Acceptable Presentation Contexts");
                return true;
            case NoAcceptedPresentationContextException:
                // Other contexts were accepted, the model's MOVE context not: movescu finds out only when it sends (and
                // exits 0 then, which the README lists among the deliberate differences: ours is still 66).
                logger.Error("Move SCU Failed: 0006:0208 DIMSE No valid Presentation Context ID");
                return true;
            case AssociationRejectedException rejected:
                LogRejection(logger, rejected.Reject);
                return true;
            case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }:
                logger.Fatal("Association Request Failed:\n0006:0320 Attempt to connect to unknown host: {Peer}", peer);
                return true;
            case SocketException socket:
                logger.Fatal("Association Request Failed:\n0006:031c TCP Initialization Error: {Reason}", socket.Message);
                return true;
            case AssociationAbortedException { ByPeer: true }:
                // An A-ABORT, or the connection closed, in answer to the A-ASSOCIATE-RQ.
                logger.Fatal("Association Request Failed:\n0006:0317 Peer aborted Association (or never connected)");
                return true;
            case AssociationAbortedException { InnerException: PduFormatException { UnknownPduType: { } type } }:
                logger.Fatal("Association Request Failed:\n0006:0321 Unrecognized PDU type: {Type}", type.ToString("x", CultureInfo.InvariantCulture).PadLeft(2));
                return true;
            case AssociationTimeoutException:
                logger.Fatal("Association Request Failed:\n0006:031a DUL network read timeout");
                return true;
            default:
                return false;
        }
    }

    /// <summary>movescu's lines for an association whose release failed (its exit code 67).</summary>
    public static void LogReleaseFailure(ILogger logger, Exception failure)
    {
        switch (failure)
        {
            case AssociationAbortedException { ByPeer: true }:
                logger.Fatal("Association Release Failed:\n0006:0317 Peer aborted Association (or never connected)");
                break;
            case AssociationTimeoutException:
                logger.Fatal("Association Release Failed:\n0006:031a DUL network read timeout");
                break;
            default:
                logger.Fatal("Association Release Failed:\n{Error}", failure.Message);
                break;
        }
    }

    private static void LogRejection(ILogger logger, AssociateReject reject)
    {
        string? reason = DefinedReason(reject);
        if (reason is null)
        {
            // DCMTK reads the source and reason as one code, and takes an undefined one for "no reason".
            logger.Error("Received invalid A-ASSOCIATE-RJ reject reason 0x{Code:x4}, using default.", ((int)reject.Source << 8) | reject.Reason);
        }

        string result = reject.Result == RejectResult.Transient ? "Rejected Transient" : "Rejected Permanent";
        string source = reject.Source switch
        {
            RejectSource.ServiceProviderAcse => "Service Provider (ACSE Related)",
            RejectSource.ServiceProviderPresentation => "Service Provider (Presentation Related)",
            _ => "Service User",
        };
        logger.Fatal("Association Rejected:\nResult: {Result}, Source: {Source}\nReason: {Reason}", result, source, reason ?? "No Reason");
    }

    private static string? DefinedReason(AssociateReject reject) => (reject.Source, reject.Reason) switch
    {
        (RejectSource.ServiceUser, 1 or 2 or 3 or 7) or (RejectSource.ServiceProviderAcse, 1 or 2) or (RejectSource.ServiceProviderPresentation, 1 or 2)
            => reject.ReasonText,
        _ => null,
    };
}
