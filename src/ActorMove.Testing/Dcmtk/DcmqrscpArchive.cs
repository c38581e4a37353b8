using System.Text;

namespace ActorMove.Testing.Dcmtk;

/// <summary>A C-MOVE destination dcmqrscp knows: an AE title reachable on a loopback port.</summary>
public sealed record MoveDestination(string AeTitle, int Port);

/// <summary>
/// DCMTK's dcmqrscp as a real Q/R archive on a free loopback port, with its own storage area and AE table
/// in a temp folder. Load it with <see cref="LoadAsync"/> (storescu), then send it C-MOVEs.
/// </summary>
public sealed class DcmqrscpArchive : IAsyncDisposable
{
    private readonly TempDirectory _folder;
    private readonly DcmtkServer _server;

    private DcmqrscpArchive(TempDirectory folder, DcmtkServer server, string aeTitle)
    {
        _folder = folder;
        _server = server;
        AeTitle = aeTitle;
    }

    public string AeTitle { get; }
    public int Port => _server.Port;
    public string StorageArea => _folder.Combine("storage");

    /// <summary>What dcmqrscp has logged so far (started with -d when <c>debug</c> was asked for).</summary>
    public string Log => _server.Output;

    public static async Task<DcmqrscpArchive> StartAsync(IEnumerable<MoveDestination> destinations, string aeTitle = "ARCHIVE",
        bool debug = false, IEnumerable<string>? extraArguments = null)
    {
        var folder = new TempDirectory("dcmqrscp");
        try
        {
            Directory.CreateDirectory(folder.Combine("storage"));
            int port = LoopbackPort.GetFree();
            string config = folder.Combine("dcmqrscp.cfg");
            await File.WriteAllTextAsync(config, BuildConfig(port, aeTitle, folder.Combine("storage"), destinations)).ConfigureAwait(false);

            // Fork mode: dcmqrscp 3.6.7's --single-process crashes after its first stored object.
            var arguments = new List<string> { "-c", config };
            if (debug)
            {
                arguments.Add("-d");
            }

            arguments.AddRange(extraArguments ?? []);
            arguments.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var server = await DcmtkServer.StartAsync("dcmqrscp", arguments, port, workingDirectory: folder.Path).ConfigureAwait(false);
            return new DcmqrscpArchive(folder, server, aeTitle);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    private static string BuildConfig(int port, string aeTitle, string storage, IEnumerable<MoveDestination> destinations)
    {
        var config = new StringBuilder();
        config.AppendLine($"NetworkTCPPort  = {port}");
        config.AppendLine("MaxPDUSize      = 131072");
        config.AppendLine("MaxAssociations = 64");
        config.AppendLine("HostTable BEGIN");
        int index = 0;
        foreach (var destination in destinations)
        {
            // dcmqrscp's host table takes host names, not addresses.
            config.AppendLine($"dest{index++} = ({destination.AeTitle}, localhost, {destination.Port})");
        }

        config.AppendLine("HostTable END");
        config.AppendLine("VendorTable BEGIN");
        config.AppendLine("VendorTable END");
        config.AppendLine("AETable BEGIN");
        // Larger quotas are clamped by dcmqrscp with a warning; 200 studies of 1 GiB each is its ceiling.
        config.AppendLine($"{aeTitle} {storage} RW (200, 1024mb) ANY");
        config.AppendLine("AETable END");
        return config.ToString();
    }

    /// <summary>Stores every file below <paramref name="folder"/> into the archive with storescu.</summary>
    public async Task LoadAsync(string folder, params string[] extraStorescuArguments)
    {
        string[] arguments = [.. extraStorescuArguments, "-aec", AeTitle, "+sd", "+r", "127.0.0.1", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), folder];
        var result = await DcmtkTool.RunAsync("storescu", arguments, TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"storescu could not load {folder} into dcmqrscp: {result}\n{Log}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync().ConfigureAwait(false);
        _folder.Dispose();
    }
}
