using System.Net;
using ActorMove.Engine.AccessControl;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Engine.Tests.AccessControl;

/// <summary>Runs only where libwrap's own predictor, tcpdmatch (Debian package tcpd), is installed.</summary>
public sealed class TcpdmatchTheoryAttribute : TheoryAttribute
{
    public const string Program = "/usr/sbin/tcpdmatch";

    public TcpdmatchTheoryAttribute()
    {
        if (!File.Exists(Program))
        {
            Skip = "tcpdmatch is not installed (apt-get install tcpd)";
        }
    }
}

/// <summary>
/// Our decisions against libwrap's, the library DCMTK's movescu links for +ac: tcpdmatch -d reads
/// hosts.allow and hosts.deny from its working directory and predicts the verdict for daemon movescu.
/// A client given as an address is judged as if its name lookup failed, as ours is with a null name and
/// without lookup (-dhl, where DCMTK passes the name "unknown");
/// "localhost" is resolved by tcpdmatch to 127.0.0.1 with the name localhost.
/// </summary>
public sealed class LibwrapInteropTests
{
    private static readonly string[] Clients =
        ["10.0.0.1", "10.0.0.2", "10.0.0.77", "10.5.0.1", "10.8.0.1", "192.168.1.10", "192.168.5.5", "127.0.0.1", "::1", "2001:db8::1", "2001:db9::1", "localhost"];

    [TcpdmatchTheory]
    [InlineData("movescu: 10.0.0.1\n", "ALL: ALL\n")]
    [InlineData("", "movescu: 192.168. EXCEPT 192.168.1.10\n")]
    [InlineData("", "ALL: 10. EXCEPT 10.5. 10.8. EXCEPT 10.8.0.1\n")]
    [InlineData("", "ALL: 10.0.0.0/255.0.255.0\n")]
    [InlineData("", "ALL: 10.8.0.0/13, 10.0.0.1/24 10.0.0.64/26\n")]
    [InlineData("", "ALL: 0.0.0.0/0\n")]
    [InlineData("", "ALL: 0.0.0.0/0.0.0.0\n")]
    [InlineData("", "ALL: [2001:db8::]/32, [::1]\n")]
    [InlineData("", "ALL: [2001:db8::1]/32\n")]
    [InlineData("", "ALL: [::]/0\n")]
    [InlineData("", "sshd, movescu : 10.0.0.2\nALL EXCEPT sshd: 10.0.0.1\n")]
    [InlineData("", "ALL: UNKNOWN\n")]
    [InlineData("", "ALL: KNOWN\n")]
    [InlineData("", "ALL: LOCAL\n")]
    [InlineData("", "ALL: PARANOID\n")]
    [InlineData("", "ALL: localhost\n")]
    [InlineData("", "ALL: .localhost local* l?calhost\n")]
    [InlineData("", "ALL: ALL EXCEPT localhost\n")]
    [InlineData("", "ALL: 10.0.0.* 192.168.?.10\n")]
    [InlineData("", "ALL: ALL@10.0.0.1 KNOWN@10.0.0.2\n")]
    [InlineData("ALL: 10.0.0.1 : deny\n", "ALL: 10.0.0.2 : spawn (echo) : allow\nALL: ALL\n")]
    [InlineData("movescu: 10.0.0.1 \\\n 10.0.0.2\n# comment\n", "ALL: ALL\n")]
    [InlineData("", "ALL: ALL EXCEPT 10.0.0.1 EXCEPT 10.0.0.1\n")]
    [InlineData("", "ALL 10.0.0.1\nALL:\nALL: 10.0.0.300 [::1\n")]
    public async Task Decisions_agree_with_libwrap(string allow, string deny)
    {
        using var directory = new TempDirectory("libwrap");
        File.WriteAllText(directory.Combine("hosts.allow"), allow);
        File.WriteAllText(directory.Combine("hosts.deny"), deny);
        var rules = HostAccessRules.Load(directory.Combine("hosts.allow"), directory.Combine("hosts.deny"));

        foreach (string client in Clients)
        {
            var result = await DcmtkTool.RunAsync(
                TcpdmatchTheoryAttribute.Program, ["-d", "movescu", client], TimeSpan.FromSeconds(30), workingDirectory: directory.Path);
            string? verdict = result.StdOut.Split('\n')
                .Where(line => line.StartsWith("access:", StringComparison.Ordinal))
                .Select(line => line["access:".Length..].Trim())
                .FirstOrDefault();
            Assert.True(verdict is "granted" or "denied", $"tcpdmatch gave no verdict for {client}: {result}");

            var peer = client == "localhost"
                ? HostAccessClient.WithHostName(IPAddress.Loopback, "localhost")
                : HostAccessClient.WithHostName(IPAddress.Parse(client), null);
            Assert.True(
                verdict == "granted" == rules.Check(peer).Allowed,
                $"{client}: libwrap {verdict}, ours {rules.Check(peer)}");

            // Under -dhl DCMTK gives libwrap the name "unknown": the same verdict as a failed lookup.
            if (client != "localhost")
            {
                var withoutLookup = HostAccessClient.WithoutLookup(IPAddress.Parse(client));
                Assert.True(
                    verdict == "granted" == rules.Check(withoutLookup).Allowed,
                    $"{client} without lookup: libwrap {verdict}, ours {rules.Check(withoutLookup)}");
            }
        }
    }
}
