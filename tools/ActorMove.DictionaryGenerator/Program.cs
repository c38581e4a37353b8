// Writes the generated part of src/ActorMove.Dicom (dictionary table, DicomTags, DicomUids, transfer syntaxes,
// storage SOP class lists) from the PS3.6 tables in the shared TSV folder, with the data elements of supplement.tsv
// (next to this file: rows DCMTK 3.6.7 knows that the shared table lacks) merged in; the shared table wins a clash.
// DcmtkNames comes from the two dcmtk-*-names.tsv tables next to this file (observe-dcmtk-names.sh reads them off dcmdump).
//
// Regenerate (from the repository root):
//     dotnet run --project tools/ActorMove.DictionaryGenerator -- [path-to-tsv-folder]
// The folder defaults to ../shared/dicom relative to the repository root. The output is committed, so building the
// library never needs the TSV folder.

using ActorMove.DictionaryGenerator;

string repoRoot = Generator.FindRepositoryRoot(Environment.CurrentDirectory)
                  ?? Generator.FindRepositoryRoot(AppContext.BaseDirectory)
                  ?? throw new InvalidOperationException("run from inside the ActorMove repository (no ActorMove.sln found above the current directory)");
string tsvFolder = args.Length > 0 ? Path.GetFullPath(args[0]) : Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "dicom"));

try
{
    var written = Generator.Run(tsvFolder, Path.Combine(repoRoot, Generator.SupplementPath), Path.Combine(repoRoot, "src", "ActorMove.Dicom"),
        Path.Combine(repoRoot, Generator.DcmtkUidNamesPath), Path.Combine(repoRoot, Generator.DcmtkTransferSyntaxNamesPath));
    foreach (string file in written)
    {
        Console.WriteLine($"wrote {Path.GetRelativePath(repoRoot, file)}");
    }

    return 0;
}
catch (Exception e) when (e is IOException or FormatException or InvalidDataException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
