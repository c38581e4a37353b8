using ActorMove.Engine.Configuration;
using Akka.Configuration;
using Xunit;

namespace ActorMove.Engine.Tests.Configuration;

public class ActorMoveSettingsTests
{
    [Fact]
    public void Empty_config_takes_every_default_from_the_embedded_reference()
    {
        var settings = ActorMoveSettings.Create(ConfigurationFactory.Empty);

        Assert.Equal("MOVESCU", settings.AeTitle);
        Assert.Equal(16384, settings.MaxPduLength);
        Assert.Null(settings.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.AcseTimeout);
        Assert.Null(settings.DimseTimeout);
        Assert.Equal(".", settings.OutputDirectory);
        Assert.False(settings.AcceptAllStorageClasses);
        Assert.Equal(4L * 1024 * 1024, settings.BufferPerAssociation);
        Assert.True(settings.QuickAck);
    }

    [Fact]
    public void Override_changes_only_the_keys_it_names()
    {
        var settings = ActorMoveSettings.Create(ConfigurationFactory.ParseString(
            "actormove { ae-title = MIGRATOR, timeouts.dimse = 90s, store.accept-all-storage-classes = on }"));

        Assert.Equal("MIGRATOR", settings.AeTitle);
        Assert.Equal(TimeSpan.FromSeconds(90), settings.DimseTimeout);
        Assert.True(settings.AcceptAllStorageClasses);
        Assert.Equal(16384, settings.MaxPduLength);
    }

    [Fact]
    public void Store_associations_are_bounded_by_the_open_file_limit_unless_configured()
    {
        Assert.Null(ActorMoveSettings.Create(ConfigurationFactory.Empty).MaxAssociations);
        Assert.Equal(7, ActorMoveSettings.Create(ConfigurationFactory.ParseString("actormove.store.max-associations = 7")).MaxAssociations);
    }

    [Fact]
    public void Settings_survive_a_round_trip_through_hocon()
    {
        var original = ActorMoveSettings.Create(ConfigurationFactory.Empty) with
        {
            AeTitle = "A\"B",
            ConnectTimeout = TimeSpan.FromSeconds(5),
            OutputDirectory = "/tmp/some \"dir\"",
            MaxPduLength = 131072,
            MaxAssociations = 12,
            QuickAck = false,
        };

        var reread = ActorMoveSettings.Create(ConfigurationFactory.ParseString(original.ToHocon()));

        Assert.Equal(original, reread);
    }

    [Fact]
    public void An_override_file_changes_its_keys_and_keeps_the_rest()
    {
        using var folder = new ActorMove.Testing.TempDirectory();
        string path = folder.Combine("site.conf");
        File.WriteAllText(path, "actormove.store.output-directory = \"/data/in\"\nactormove.timeouts.connect = 5s\n");

        var settings = ActorMoveSettings.FromFile(path);

        Assert.Equal("/data/in", settings.OutputDirectory);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.ConnectTimeout);
        Assert.Equal("MOVESCU", settings.AeTitle);
        Assert.Throws<ConfigurationException>(() => ActorMoveSettings.FromFile(folder.Combine("missing.conf")));
    }

    [Fact]
    public void Engine_options_take_the_settings_values()
    {
        var settings = ActorMoveSettings.Create(ConfigurationFactory.ParseString(
            "actormove { ae-title = SITE\n max-pdu-length = 65536\n timeouts { connect = 3s, dimse = 20s }\n store.output-directory = \"/in\"\n store.max-associations = 40\n tcp.quick-ack = off }"));

        var options = ActorMove.Engine.Hosting.ActorMoveOptions.FromSettings(settings, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var withoutPort = ActorMove.Engine.Hosting.ActorMoveOptions.FromSettings(settings, storeEndPoint: null);

        Assert.Equal("SITE", options.Move.AeTitle);
        Assert.Equal(65536u, options.Move.Association.MaxPduLength);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Move.Association.Connection.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Move.Association.DimseTimeout);
        Assert.Equal("/in", options.Store!.OutputDirectory);
        Assert.Equal(4L * 1024 * 1024, options.Store.BufferPerAssociation);
        Assert.Equal(40, options.Store.MaxAssociations);
        Assert.False(options.Move.Association.Connection.QuickAck);
        Assert.False(options.Store.Association.Connection.QuickAck);
        Assert.Null(withoutPort.Store);
    }

    [Theory]
    [InlineData("actormove.max-pdu-length = 100")]
    [InlineData("actormove.max-pdu-length = 99999999")]
    [InlineData("actormove.ae-title = \"THIS-TITLE-IS-TOO-LONG\"")]
    [InlineData("actormove.timeouts.acse = infinite")]
    [InlineData("actormove.store.buffer-per-association = 1k")]
    [InlineData("actormove.store.max-associations = 0")]
    [InlineData("actormove.store.max-associations = lots")]
    [InlineData("actormove.store.max-associations = -3")]
    public void Invalid_values_are_refused_with_the_key_named(string hocon)
    {
        var error = Assert.Throws<ConfigurationException>(() => ActorMoveSettings.Create(ConfigurationFactory.ParseString(hocon)));
        Assert.Contains("actormove.", error.Message);
    }
}
