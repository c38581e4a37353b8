using ActorMove.Cli.Retrieval;
using ActorMove.Engine.Logging;
using ActorMove.Network.Association;
using ActorMove.Network.Pdu;
using Xunit;

namespace ActorMove.Cli.Tests.Retrieval;

/// <summary>
/// The words for failures no archive in the acceptance tests can be made to produce on demand. Each expected text is what
/// movescu 3.6.7 printed against a raw peer doing the same (a peer that closes the connection or never answers the
/// A-RELEASE-RQ, one that rejects with an undefined reason).
/// </summary>
public class MovescuFailuresTests
{
    private static string Logged(Action<Serilog.ILogger> log)
    {
        using var output = new StringWriter();
        using (var logger = LoggingSetup.CreateLogger(new LoggingOptions(), output))
        {
            log(logger);
        }

        return output.ToString().ReplaceLineEndings("\n");
    }

    [Fact]
    public void A_release_the_peer_answers_by_closing_is_movescus_peer_aborted_condition() =>
        Assert.Equal("F: Association Release Failed:\nF: 0006:0317 Peer aborted Association (or never connected)\n",
            Logged(logger => MovescuFailures.LogReleaseFailure(logger,
                new AssociationAbortedException(null, byPeer: true, "The connection closed during release"))));

    [Fact]
    public void A_release_that_is_never_answered_is_movescus_read_timeout() =>
        Assert.Equal("F: Association Release Failed:\nF: 0006:031a DUL network read timeout\n",
            Logged(logger => MovescuFailures.LogReleaseFailure(logger,
                new AssociationTimeoutException("No A-RELEASE-RP within 00:00:30", TimeSpan.FromSeconds(30)))));

    [Fact]
    public void A_rejection_with_an_undefined_reason_is_reported_as_no_reason_after_dcmtks_error_line()
    {
        var rejected = new AssociationRejectedException(new AssociateReject(RejectResult.Permanent, RejectSource.ServiceUser, 5), byPeer: true);

        string text = Logged(logger => Assert.True(MovescuFailures.TryLog(logger, rejected, "host")));

        Assert.Equal("E: Received invalid A-ASSOCIATE-RJ reject reason 0x0105, using default.\n"
            + "F: Association Rejected:\nF: Result: Rejected Permanent, Source: Service User\nF: Reason: No Reason\n", text);
    }

    [Fact]
    public void A_failure_movescu_has_no_words_for_is_left_to_the_caller() =>
        Assert.Equal("", Logged(logger => Assert.False(MovescuFailures.TryLog(logger, new InvalidOperationException("x"), "host"))));
}
