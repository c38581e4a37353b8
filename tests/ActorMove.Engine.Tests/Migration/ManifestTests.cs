using ActorMove.Dicom.Core;
using ActorMove.Dicom.Dictionary;
using ActorMove.Engine.Migration;
using ActorMove.Testing;
using Xunit;

namespace ActorMove.Engine.Tests.Migration;

public sealed class ManifestTests : IDisposable
{
    private readonly TempDirectory _folder = new("manifest");

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string text)
    {
        string path = _folder.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    private static List<ManifestRow> ReadAll(string path, ManifestOptions? options = null) =>
        Manifest.Open(path, options).ReadRows().ToList();

    [Fact]
    public void Csv_with_keywords_gives_one_identifier_per_row()
    {
        string path = Write("m.csv", "QueryRetrieveLevel,StudyInstanceUID\nSTUDY,1.2.3\r\nSTUDY,1.2.4\n");

        var manifest = Manifest.Open(path);
        var rows = manifest.ReadRows().ToList();

        Assert.Equal(ManifestFormat.Csv, manifest.Format);
        Assert.Equal([DicomTags.QueryRetrieveLevel, DicomTags.StudyInstanceUID], manifest.Columns.Select(c => c.Tag));
        Assert.Equal([DicomVR.CS, DicomVR.UI], manifest.Columns.Select(c => c.VR));
        Assert.Equal(2, rows.Count);
        Assert.Equal([2, 3], rows.Select(r => r.Row));
        Assert.Equal("STUDY", rows[0].Identifier.GetString(DicomTags.QueryRetrieveLevel));
        Assert.Equal("1.2.3", rows[0].Identifier.GetString(DicomTags.StudyInstanceUID));
        Assert.Equal("1.2.4", rows[1].Identifier.GetString(DicomTags.StudyInstanceUID));
        Assert.Equal(2, rows[1].Identifier.Count);
    }

    [Fact]
    public void Tsv_with_tags_in_every_spelling()
    {
        string path = Write("m.tsv", "0008,0052\t(0020,000D)\t00100020\nSERIES\t1.2.3\tPAT 1\n");

        var manifest = Manifest.Open(path);
        var row = Assert.Single(manifest.ReadRows());

        Assert.Equal(ManifestFormat.Tsv, manifest.Format);
        Assert.Equal("SERIES", row.Identifier.GetString(DicomTags.QueryRetrieveLevel));
        Assert.Equal("1.2.3", row.Identifier.GetString(DicomTags.StudyInstanceUID));
        Assert.Equal("PAT 1", row.Identifier.GetString(DicomTags.PatientID));
    }

    [Theory]
    [InlineData("manifest.txt", "PatientID\tStudyInstanceUID\nP1\t1.2\n", ManifestFormat.Tsv)]
    [InlineData("manifest", "# comment, with a tab\there\nPatientID,StudyInstanceUID\nP1,1.2\n", ManifestFormat.Csv)]
    public void Without_a_known_extension_the_header_decides(string name, string text, ManifestFormat expected)
    {
        var manifest = Manifest.Open(Write(name, text));

        Assert.Equal(expected, manifest.Format);
        Assert.Equal("1.2", Assert.Single(manifest.ReadRows()).Identifier.GetString(DicomTags.StudyInstanceUID));
    }

    [Fact]
    public void Quoted_fields_hold_commas_doubled_quotes_and_line_breaks()
    {
        string path = Write("q.csv",
            "\"0008,0052\",PatientName,StudyDescription\n" +
            "STUDY,\"Doe^John, Jr\",\"say \"\"hi\"\"\"\n" +
            "\"STUDY\" , \"two\nlines\" ,  spaced  \n");

        var rows = ReadAll(path);

        Assert.Equal("Doe^John, Jr", rows[0].Identifier.GetString(new DicomTag(0x00100010)));
        Assert.Equal("say \"hi\"", rows[0].Identifier.GetString(new DicomTag(0x00081030)));
        Assert.Equal("two\nlines", rows[1].Identifier.GetString(new DicomTag(0x00100010)));
        Assert.Equal("spaced", rows[1].Identifier.GetString(new DicomTag(0x00081030)));
        Assert.Equal(3, rows[1].Row);
        Assert.Equal(3, rows[1].Line);
    }

    [Fact]
    public void Blank_and_comment_lines_are_not_rows_but_lines_still_count()
    {
        string path = Write("c.csv", "# exported 2026-11-29\n\nStudyInstanceUID\n\n   \n# skipped\n1.2.3\n");

        var row = Assert.Single(ReadAll(path));

        Assert.Equal(2, row.Row);
        Assert.Equal(7, row.Line);
    }

    [Fact]
    public void Byte_order_mark_of_a_spreadsheet_export_is_not_part_of_the_first_column()
    {
        string path = _folder.Combine("bom.csv");
        File.WriteAllText(path, "StudyInstanceUID\n1.2\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.Equal(0xEF, File.ReadAllBytes(path)[0]);
        Assert.Equal("1.2", Assert.Single(ReadAll(path)).Identifier.GetString(DicomTags.StudyInstanceUID));
    }

    [Fact]
    public void Empty_field_sends_the_attribute_without_a_value()
    {
        var row = Assert.Single(ReadAll(Write("e.csv", "StudyInstanceUID,PatientID\n1.2.3,\n")));

        Assert.True(row.Identifier.Contains(DicomTags.PatientID));
        Assert.Equal("", row.Identifier.GetString(DicomTags.PatientID));
    }

    [Fact]
    public void Keys_replace_and_insert_on_every_row()
    {
        string path = Write("k.csv", "QueryRetrieveLevel,StudyInstanceUID\nPATIENT,1.2.3\nPATIENT,1.2.4\n");
        var options = new ManifestOptions
        {
            Keys =
            [
                new ManifestKey(DicomTags.QueryRetrieveLevel, DicomVR.CS, "STUDY"),
                new ManifestKey(DicomTags.PatientID, DicomVR.LO, "P7"),
            ],
            ApplyKeys = identifier => identifier.AddOrUpdate(new DicomTag(0x00080050), DicomVR.SH, "ACC"),
        };

        var rows = ReadAll(path, options);

        Assert.Equal(2, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal("STUDY", row.Identifier.GetString(DicomTags.QueryRetrieveLevel));
            Assert.Equal("P7", row.Identifier.GetString(DicomTags.PatientID));
            Assert.Equal("ACC", row.Identifier.GetString(new DicomTag(0x00080050)));
        });
        Assert.Equal("1.2.4", rows[1].Identifier.GetString(DicomTags.StudyInstanceUID));
    }

    [Fact]
    public void Row_keys_are_stable_across_reads_and_edits_of_other_rows_and_change_with_the_row()
    {
        string first = Write("a.csv", "StudyInstanceUID\n1.1\n1.2\n1.3\n");
        var before = ReadAll(first).Select(r => r.Key).ToList();
        var again = ReadAll(first).Select(r => r.Key).ToList();
        File.WriteAllText(first, "StudyInstanceUID\n1.1\n1.9\n1.3\n1.4\n");
        var after = ReadAll(first).Select(r => r.Key).ToList();

        Assert.Equal(before, again);
        Assert.Equal(3, before.Distinct().Count());
        Assert.Equal(before[0], after[0]);
        Assert.NotEqual(before[1], after[1]);
        Assert.Equal(before[2], after[2]);
        Assert.StartsWith("2:", before[0]);
    }

    [Fact]
    public void Keys_change_the_row_key_because_they_change_the_move()
    {
        string path = Write("h.csv", "StudyInstanceUID\n1.1\n");
        var plain = Assert.Single(ReadAll(path));
        var keyed = Assert.Single(ReadAll(path, new ManifestOptions { Keys = [new ManifestKey(DicomTags.PatientID, DicomVR.LO, "X")] }));

        Assert.NotEqual(plain.Key, keyed.Key);
    }

    [Fact]
    public void Identity_names_the_file_and_columns_and_ignores_the_rows()
    {
        string a = Write("same.csv", "StudyInstanceUID\n1.1\n");
        string identityBefore = Manifest.Open(a).Identity;
        File.WriteAllText(a, "StudyInstanceUID\n1.2\n1.3\n");

        Assert.Equal(identityBefore, Manifest.Open(a).Identity);
        Assert.NotEqual(identityBefore, Manifest.Open(Write("other.csv", "StudyInstanceUID\n1.1\n")).Identity);
        File.WriteAllText(a, "PatientID\n1.1\n");
        Assert.NotEqual(identityBefore, Manifest.Open(a).Identity);
    }

    [Fact]
    public void Tens_of_thousands_of_rows_stream()
    {
        string path = _folder.Combine("big.csv");
        using (var writer = new StreamWriter(path))
        {
            writer.WriteLine("QueryRetrieveLevel,StudyInstanceUID");
            for (int i = 0; i < 30000; i++)
            {
                writer.WriteLine($"STUDY,1.2.826.0.1.{i}");
            }
        }

        int count = 0;
        string? last = null;
        foreach (var row in Manifest.Open(path).ReadRows())
        {
            count++;
            last = row.Identifier.GetString(DicomTags.StudyInstanceUID);
        }

        Assert.Equal(30000, count);
        Assert.Equal("1.2.826.0.1.29999", last);
    }

    // ---- errors: each names the file, the row and (where one is at fault) the column ----

    private ManifestException Fails(string name, string text, ManifestOptions? options = null)
    {
        string path = Write(name, text);
        var error = Assert.Throws<ManifestException>(() => ReadAll(path, options));
        Assert.Equal(path, error.File);
        Assert.StartsWith(path, error.Message);
        return error;
    }

    [Fact]
    public void Unknown_keyword_names_header_row_and_column()
    {
        var error = Fails("u.csv", "StudyInstanceUID,StudyInstanceUid\n1.2,3\n");

        Assert.Equal(1, error.Row);
        Assert.Equal(2, error.Column);
        Assert.Equal("StudyInstanceUid", error.ColumnName);
        Assert.Contains("unknown keyword", error.Message);
        Assert.Contains("row 1, column 2 (StudyInstanceUid)", error.Message);
    }

    [Theory]
    [InlineData("\"0008,005G\"")]
    [InlineData("\"(0008,0052\"")]
    [InlineData("\"0008;0052,\"")]
    public void Malformed_tag_is_named(string header)
    {
        var error = Fails("t.csv", $"StudyInstanceUID,{header}\n1.2,X\n");

        Assert.Equal(1, error.Row);
        Assert.Equal(2, error.Column);
        Assert.Contains("malformed tag", error.Message);
    }

    [Fact]
    public void Tag_missing_from_the_dictionary_is_refused()
    {
        var error = Fails("d.tsv", "StudyInstanceUID\t0009,1234\n1.2\tx\n");

        Assert.Equal(2, error.Column);
        Assert.Contains("not in the data dictionary", error.Message);
    }

    [Fact]
    public void Sequence_column_is_refused()
    {
        var error = Fails("s.csv", "StudyInstanceUID,ReferencedStudySequence\n1.2,x\n");

        Assert.Equal(1, error.Row);
        Assert.Equal(2, error.Column);
        Assert.Equal("ReferencedStudySequence", error.ColumnName);
        Assert.Contains("sequence", error.Message);
    }

    [Fact]
    public void Binary_vr_column_is_refused()
    {
        var error = Fails("b.csv", "StudyInstanceUID,Rows\n1.2,512\n");

        Assert.Equal(2, error.Column);
        Assert.Contains("VR US", error.Message);
    }

    [Fact]
    public void Duplicate_column_is_refused()
    {
        var error = Fails("dup.csv", "StudyInstanceUID,\"0020,000D\"\n1,2\n");

        Assert.Equal(2, error.Column);
        Assert.Contains("already column 1", error.Message);
    }

    [Fact]
    public void Too_many_fields_name_the_first_extra_column()
    {
        var error = Fails("n.csv", "QueryRetrieveLevel,StudyInstanceUID\nSTUDY,1.2\n\nSTUDY,1.3,extra\n");

        Assert.Equal(3, error.Row);
        Assert.Equal(4, error.Line);
        Assert.Equal(3, error.Column);
        Assert.Null(error.ColumnName);
        Assert.Contains("3 field(s) where the header has 2", error.Message);
        Assert.Contains("row 3 (line 4), column 3", error.Message);
    }

    [Fact]
    public void Too_few_fields_name_the_first_missing_column()
    {
        var error = Fails("f.tsv", "QueryRetrieveLevel\tStudyInstanceUID\tPatientID\nSTUDY\t1.2\n");

        Assert.Equal(2, error.Row);
        Assert.Equal(3, error.Column);
        Assert.Equal("PatientID", error.ColumnName);
    }

    [Fact]
    public void Unterminated_quote_names_where_it_opened()
    {
        var error = Fails("o.csv", "QueryRetrieveLevel,StudyInstanceUID\nSTUDY,1.2\nSTUDY,\"1.3\nSTUDY,1.4\n");

        Assert.Equal(3, error.Row);
        Assert.Equal(2, error.Column);
        Assert.Equal("StudyInstanceUID", error.ColumnName);
        Assert.Contains("unterminated quote", error.Message);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_refused()
    {
        var error = Fails("x.csv", "PatientID,StudyInstanceUID\n\"P1\"x,1.2\n");

        Assert.Equal(2, error.Row);
        Assert.Equal(1, error.Column);
        Assert.Contains("after the closing quote", error.Message);
    }

    [Fact]
    public void Quote_inside_an_unquoted_field_is_refused()
    {
        var error = Fails("i.csv", "PatientID,StudyInstanceUID\nP\"1,1.2\n");

        Assert.Equal(1, error.Column);
        Assert.Equal("PatientID", error.ColumnName);
    }

    [Fact]
    public void Non_ascii_value_is_refused()
    {
        var error = Fails("a.csv", "PatientName,StudyInstanceUID\nMüller,1.2\n");

        Assert.Equal(2, error.Row);
        Assert.Equal(1, error.Column);
        Assert.Contains("non-ASCII", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n# only a comment\n   \n")]
    public void Empty_file_or_no_header_is_refused(string text)
    {
        var error = Fails("empty.csv", text);

        Assert.Null(error.Row);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void Empty_column_name_is_refused()
    {
        var error = Fails("h.csv", "StudyInstanceUID,,PatientID\n1,2,3\n");

        Assert.Equal(2, error.Column);
        Assert.Contains("empty column name", error.Message);
    }

    [Fact]
    public void Sequence_key_is_refused()
    {
        var error = Fails("k.csv", "StudyInstanceUID\n1\n",
            new ManifestOptions { Keys = [new ManifestKey(DicomTags.ReferencedStudySequence, DicomVR.SQ, "")] });

        Assert.Contains("-k (0008,1110)", error.Message);
    }

    [Fact]
    public void Header_from_a_dcmtk_dictionary_file_resolves_its_keywords()
    {
        var dictionary = DicomDictionary.Load(["/usr/share/libdcmtk17/dicom.dic"]);
        var manifest = Manifest.Open(Write("dcmtk.csv", "StudyInstanceUID\n1.2\n"), new ManifestOptions { Dictionary = dictionary });

        Assert.Equal(DicomTags.StudyInstanceUID, Assert.Single(manifest.Columns).Tag);
    }
}
