using System.Globalization;
using System.Net;
using System.Runtime;
using System.Runtime.InteropServices;
using ActorMove.Engine.Hosting;
using ActorMove.Engine.Retrieve;
using ActorMove.Engine.Storage;
using ActorMove.Network.Association;
using ActorMove.Network.Transport;
using Akka.Configuration;

namespace ActorMove.StoreBench;

/// <summary>
/// The engine's store SCP as a process of its own, for bench/compare.sh: `actormove` only listens while a move runs, so
/// storescu cannot be pointed at it. Same engine, same StoreSettings as `actormove +P port -od dir` (default output
/// options). Listens on 127.0.0.1 until SIGINT/SIGTERM or --max-seconds, whichever comes first, so a script that dies
/// cannot leave it running.
/// </summary>
public static class Program
{
    private const string Usage = "usage: ActorMove.StoreBench --port n --od dir [--pdu bytes] [--bit-preserving] [--ignore] [--buffer bytes] [--max-seconds s]";

    public static async Task<int> Main(string[] args)
    {
        // As actormove does, before the first socket.
        InlineSocketCompletions.PreferForThisProcess();
        int? port = null;
        string? outputDirectory = null;
        uint maxPdu = 131072;
        int maxSeconds = 600;
        bool bitPreserving = false;
        bool ignore = false;
        long buffer = 4 * 1024 * 1024;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : "";
            switch (args[i])
            {
                case "--port":
                    port = int.Parse(value, CultureInfo.InvariantCulture);
                    i++;
                    break;
                case "--od":
                    outputDirectory = value;
                    i++;
                    break;
                case "--pdu":
                    maxPdu = uint.Parse(value, CultureInfo.InvariantCulture);
                    i++;
                    break;
                case "--bit-preserving":
                    bitPreserving = true;
                    break;
                case "--buffer":
                    buffer = long.Parse(value, CultureInfo.InvariantCulture);
                    i++;
                    break;
                case "--ignore":
                    ignore = true;
                    break;
                case "--max-seconds":
                    maxSeconds = int.Parse(value, CultureInfo.InvariantCulture);
                    i++;
                    break;
                default:
                    await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
                    return 2;
            }
        }

        if (port is null || outputDirectory is null || !Directory.Exists(outputDirectory))
        {
            await Console.Error.WriteLineAsync(Usage + " (the output folder must exist)").ConfigureAwait(false);
            return 2;
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(maxSeconds));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        var association = AssociationOptions.Default with { MaxPduLength = maxPdu };
        var options = new ActorMoveOptions
        {
            Move = new MoveSettings { Association = association },
            Store = new StoreSettings
            {
                EndPoint = new IPEndPoint(IPAddress.Loopback, port.Value),
                OutputDirectory = outputDirectory,
                // movescu's +B: the received bytes go to the file as they are, without the parse and re-encode.
                Output = StoreOutputOptions.Default with { BitPreserving = bitPreserving },
                IgnoreData = ignore,
                BufferPerAssociation = buffer,
                Association = association,
            },
        };
        // ERROR, not WARNING: with no move running every store is unsolicited, and the engine warns about each one; a
        // formatted log line per object would be part of what is measured, which a real retrieve never pays.
        await using var engine = ActorMoveEngine.Start(options, ConfigurationFactory.ParseString("akka.loglevel = ERROR\n" + Environment.GetEnvironmentVariable("STOREBENCH_HOCON")), "storebench");
        int? listening = await engine.Client.GetStorePortAsync().ConfigureAwait(false);
        if (listening is null)
        {
            await Console.Error.WriteLineAsync($"cannot listen on port {port}").ConfigureAwait(false);
            return 1;
        }

        Console.WriteLine($"listening on 127.0.0.1:{listening}");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // What the receiving cost the runtime, for the benchmark logs: managed allocations and collections over the whole
        // run, and the JIT compiling that ReadyToRun code did not spare it (re-compiling hot code included).
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gc: allocated {GC.GetTotalAllocatedBytes() / 1e6:F1} MB, collections gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}, pause {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"jit: {JitInfo.GetCompiledMethodCount()} methods compiled in {JitInfo.GetCompilationTime().TotalMilliseconds:F0} ms"));
        return 0;
    }
}
