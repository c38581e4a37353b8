using ActorMove.Engine.Configuration;
using Akka.Actor;

namespace ActorMove.Engine.Actors;

/// <summary>
/// The --cancel n logic of one move: counts the C-MOVE responses and, at the n-th, tells the job once to send
/// C-CANCEL-RQ. The job keeps collecting responses until the final one arrives. Pending responses are counted by the
/// association's receive loop as it decodes them (the final one by the job), one hop sooner than through the job.
/// </summary>
public sealed class CancelAfterN : ReceiveActor
{
    /// <summary>Sent for every C-MOVE response: pending ones by the receive loop that decodes them, the final one by the job.</summary>
    public sealed record ResponseCounted
    {
        public static ResponseCounted Instance { get; } = new();
    }

    /// <summary>Sent to the job when it is time to cancel.</summary>
    public sealed record SendCancel(int AfterResponses);

    private readonly int _limit;
    private int _responses;

    public CancelAfterN(int limit, IActorRef job)
    {
        if (limit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), "--cancel takes a count of at least 1");
        }

        _limit = limit;
        Receive<ResponseCounted>(_ =>
        {
            _responses++;
            if (_responses == _limit)
            {
                job.Tell(new SendCancel(_responses));
            }
        });
    }

    public static Props Props(int limit, IActorRef job) => Akka.Actor.Props.Create(() => new CancelAfterN(limit, job)).WithDispatcher(ActorMoveSettings.EngineDispatcherId);
}
