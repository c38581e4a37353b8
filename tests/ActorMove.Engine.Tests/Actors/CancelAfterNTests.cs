using ActorMove.Engine.Actors;
using ActorMove.Engine.Configuration;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorMove.Engine.Tests.Actors;

public class CancelAfterNTests() : TestKit(ActorMoveSettings.ReferenceConfig)
{
    [Fact]
    public void Asks_for_exactly_one_cancel_at_the_nth_response()
    {
        var counter = Sys.ActorOf(CancelAfterN.Props(3, TestActor));

        counter.Tell(CancelAfterN.ResponseCounted.Instance);
        counter.Tell(CancelAfterN.ResponseCounted.Instance);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        counter.Tell(CancelAfterN.ResponseCounted.Instance);
        Assert.Equal(3, ExpectMsg<CancelAfterN.SendCancel>().AfterResponses);

        counter.Tell(CancelAfterN.ResponseCounted.Instance);
        counter.Tell(CancelAfterN.ResponseCounted.Instance);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
