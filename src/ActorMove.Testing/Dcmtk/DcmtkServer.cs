using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace ActorMove.Testing.Dcmtk;

/// <summary>
/// A long-running DCMTK peer (storescp, dcmqrscp) on a loopback port, killed on dispose.
/// <see cref="StartAsync"/> returns once the port accepts connections.
/// </summary>
public sealed class DcmtkServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DcmtkServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Everything the program has printed so far (stdout and stderr interleaved).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static async Task<DcmtkServer> StartAsync(string program, IEnumerable<string> arguments, int port,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, TimeSpan? startTimeout = null)
    {
        var process = new Process { StartInfo = DcmtkTool.CreateStartInfo(program, arguments, environment, workingDirectory) };
        var server = new DcmtkServer(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + (startTimeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{program} exited with {process.ExitCode} before listening:\n{server.Output}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port).ConfigureAwait(false);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }

        await server.DisposeAsync().ConfigureAwait(false);
        throw new TimeoutException($"{program} did not listen on port {port}:\n{server.Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }
}
