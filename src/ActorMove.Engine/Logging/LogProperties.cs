namespace ActorMove.Engine.Logging;

/// <summary>
/// Names of the structured properties the engine attaches to its log events. DCMTK-style text output
/// shows only the message; JSON sinks configured with -lc receive these as properties.
/// </summary>
public static class LogProperties
{
    /// <summary>The remote end of an association, "host:port".</summary>
    public const string Peer = "Peer";

    public const string CallingAeTitle = "CallingAE";
    public const string CalledAeTitle = "CalledAE";

    /// <summary>One retrieve (one C-MOVE request and the stores it causes).</summary>
    public const string JobId = "JobId";

    /// <summary>DIMSE Message ID of the request a response or store belongs to.</summary>
    public const string MessageId = "MessageId";
}
