using Akka.Actor;
using Akka.Configuration;

namespace ActorMove.Engine.Configuration;

/// <summary>
/// The engine's settings, read from the <c>actormove</c> section of a HOCON config with the embedded
/// reference configuration (hocon/actormove.conf) as fallback for every key.
/// </summary>
public sealed record ActorMoveSettings
{
    public const string Section = "actormove";
    public const string FileIoDispatcherId = "actormove.file-io-dispatcher";

    /// <summary>Where the engine's own actors run (all but the file writers): see hocon/actormove.conf.</summary>
    public const string EngineDispatcherId = "actormove.engine-dispatcher";

    /// <summary>Above this, a peer's PDUs are refused even when the configuration asks for more.</summary>
    public const int MaxPduLengthCeiling = 4 * 1024 * 1024;

    public required string AeTitle { get; init; }
    public required int MaxPduLength { get; init; }
    public required TimeSpan? ConnectTimeout { get; init; }
    public required TimeSpan AcseTimeout { get; init; }
    public required TimeSpan? DimseTimeout { get; init; }
    public required string OutputDirectory { get; init; }
    public required bool AcceptAllStorageClasses { get; init; }
    public required long BufferPerAssociation { get; init; }

    /// <summary>Inbound store associations served at once; null: what the open-file limit leaves room for.</summary>
    public int? MaxAssociations { get; init; }

    /// <summary>Acknowledge received data at once before every wait (Linux <c>TCP_QUICKACK</c>, see ConnectionOptions.QuickAck).</summary>
    public bool QuickAck { get; init; } = true;

    private static readonly Lazy<Config> LazyReference = new(() =>
    {
        using var stream = typeof(ActorMoveSettings).Assembly.GetManifestResourceStream("ActorMove.Engine.reference.conf")
                           ?? throw new InvalidOperationException("The embedded reference configuration is missing.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    });

    /// <summary>The embedded reference configuration (hocon/actormove.conf).</summary>
    public static Config ReferenceConfig => LazyReference.Value;

    public static ActorMoveSettings Create(ActorSystem system) => Create(system.Settings.Config);

    /// <summary>Reads a user's override file (HOCON); every key it leaves out comes from the reference configuration.</summary>
    public static ActorMoveSettings FromFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"Cannot read the configuration file {path}: {e.Message}", e);
        }

        return Create(ConfigurationFactory.ParseString(text));
    }

    /// <summary>Reads the settings; any key the config lacks comes from the reference configuration.</summary>
    public static ActorMoveSettings Create(Config config)
    {
        var section = config.WithFallback(ReferenceConfig).GetConfig(Section)
                      ?? throw new ConfigurationException($"No '{Section}' section in the configuration.");

        int maxPdu = section.GetInt("max-pdu-length");
        if (maxPdu is < 4096 or > MaxPduLengthCeiling)
        {
            throw new ConfigurationException($"actormove.max-pdu-length must be 4096..{MaxPduLengthCeiling}, not {maxPdu}");
        }

        long buffer = section.GetByteSize("store.buffer-per-association") ?? 4 * 1024 * 1024;
        if (buffer < 64 * 1024)
        {
            throw new ConfigurationException($"actormove.store.buffer-per-association must be at least 64 KiB, not {buffer}");
        }

        int? maxAssociations = null;
        string maxAssociationsText = section.GetString("store.max-associations");
        if (!string.Equals(maxAssociationsText, "auto", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(maxAssociationsText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int max) || max < 1)
            {
                throw new ConfigurationException($"actormove.store.max-associations must be 'auto' or a whole number of at least 1, not '{maxAssociationsText}'");
            }

            maxAssociations = max;
        }

        string aeTitle = section.GetString("ae-title");
        if (string.IsNullOrWhiteSpace(aeTitle) || aeTitle.Length > 16)
        {
            throw new ConfigurationException($"actormove.ae-title must be 1..16 characters, not '{aeTitle}'");
        }

        return new ActorMoveSettings
        {
            AeTitle = aeTitle,
            MaxPduLength = maxPdu,
            ConnectTimeout = OptionalTimeout(section, "timeouts.connect"),
            AcseTimeout = OptionalTimeout(section, "timeouts.acse") ?? throw new ConfigurationException("actormove.timeouts.acse cannot be infinite"),
            DimseTimeout = OptionalTimeout(section, "timeouts.dimse"),
            OutputDirectory = section.GetString("store.output-directory"),
            AcceptAllStorageClasses = section.GetBoolean("store.accept-all-storage-classes"),
            BufferPerAssociation = buffer,
            MaxAssociations = maxAssociations,
            QuickAck = section.GetBoolean("tcp.quick-ack"),
        };
    }

    private static TimeSpan? OptionalTimeout(Config section, string path)
    {
        string raw = section.GetString(path);
        if (string.Equals(raw, "infinite", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var value = section.GetTimeSpan(path, null, allowInfinite: false);
        if (value <= TimeSpan.Zero)
        {
            throw new ConfigurationException($"actormove.{path} must be positive or 'infinite', not '{raw}'");
        }

        return value;
    }

    /// <summary>The settings as HOCON, so that options given in code (Akka.Hosting) end up in the actor system's config.</summary>
    public string ToHocon()
    {
        static string Timeout(TimeSpan? t) => t is null ? "infinite" : $"{(long)t.Value.TotalMilliseconds}ms";
        static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        return $$"""
            actormove {
              ae-title = {{Quote(AeTitle)}}
              max-pdu-length = {{MaxPduLength}}
              timeouts {
                connect = {{Timeout(ConnectTimeout)}}
                acse = {{Timeout(AcseTimeout)}}
                dimse = {{Timeout(DimseTimeout)}}
              }
              store {
                output-directory = {{Quote(OutputDirectory)}}
                accept-all-storage-classes = {{(AcceptAllStorageClasses ? "on" : "off")}}
                buffer-per-association = {{BufferPerAssociation}}
                max-associations = {{MaxAssociations?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "auto"}}
              }
              tcp {
                quick-ack = {{(QuickAck ? "on" : "off")}}
              }
            }
            """;
    }
}
