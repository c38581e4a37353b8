namespace ActorMove.Cli;

internal static class HelpText
{
    public const string Usage = """
        actormove: DICOM retrieve (C-MOVE) SCU, movescu-compatible
        usage: actormove [options] peer port [dcmfile-in...]

        parameters:
          peer                           hostname of DICOM peer
          port                           tcp/ip port number of peer
          dcmfile-in                     DICOM query file(s)

        """;
}
