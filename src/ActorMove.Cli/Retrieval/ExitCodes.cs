using ActorMove.Engine.Retrieve;
using ActorMove.Network.Dimse;

namespace ActorMove.Cli.Retrieval;

/// <summary>movescu 3.6.7's exit codes (man page, EXIT CODES).</summary>
public static class ExitCodes
{
    public const int NoError = 0;
    public const int CommandLineSyntaxError = 1;
    public const int CannotWriteOutputFile = 40;
    public const int InvalidOutputDirectory = 45;
    public const int CannotInitializeNetwork = 60;
    public const int CannotNegotiateAssociation = 61;
    public const int CannotCreateAssociationParameters = 65;
    public const int NoPresentationContext = 66;
    public const int CannotCloseAssociation = 67;
    public const int MoveWarning = 68;
    public const int MoveError = 69;

    /// <summary>The exit code one move's result gives.</summary>
    public static int For(MoveResult result) => result.Outcome switch
    {
        MoveOutcome.Success or MoveOutcome.Cancelled when result.Error is not null => CannotCloseAssociation,
        MoveOutcome.Success or MoveOutcome.Cancelled => NoError,
        // movescu exits 68 for B000 alone; every other warning status (0001, 0107, 0116, Bxxx) is an "error status" to it.
        MoveOutcome.Warning when result.FinalStatus == DimseStatus.MoveSubOperationsCompleteWithFailures => MoveWarning,
        MoveOutcome.AssociationFailed => CannotNegotiateAssociation,
        MoveOutcome.NoPresentationContext => NoPresentationContext,
        _ => MoveError,
    };

    /// <summary>Of two results, the one a script should see: any failure beats a warning, a warning beats success.</summary>
    public static int Worse(int current, int next) => Rank(next) > Rank(current) ? next : current;

    private static int Rank(int code) => code switch
    {
        NoError => 0,
        MoveWarning => 1,
        _ => 2,
    };
}
