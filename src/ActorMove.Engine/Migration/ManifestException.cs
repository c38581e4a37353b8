namespace ActorMove.Engine.Migration;

/// <summary>
/// A manifest that cannot be used. The message names the file, the row (1-based, the header being row 1; blank and
/// comment lines are not rows), the physical line and, where one is at fault, the column by number and header name.
/// </summary>
public sealed class ManifestException : Exception
{
    public ManifestException(string file, int? row, int? line, int? column, string? columnName, string problem)
        : base(Describe(file, row, line, column, columnName, problem))
    {
        File = file;
        Row = row;
        Line = line;
        Column = column;
        ColumnName = columnName;
        Problem = problem;
    }

    public string File { get; }

    /// <summary>The record number, header = 1; null when the problem is the file as a whole (e.g. empty).</summary>
    public int? Row { get; }

    /// <summary>The line the record starts on (differs from <see cref="Row"/> after blank or comment lines).</summary>
    public int? Line { get; }

    /// <summary>1-based column number.</summary>
    public int? Column { get; }

    /// <summary>The header text of <see cref="Column"/>, when the header has such a column.</summary>
    public string? ColumnName { get; }

    /// <summary>The problem alone, without the location.</summary>
    public string Problem { get; }

    private static string Describe(string file, int? row, int? line, int? column, string? columnName, string problem)
    {
        var where = new System.Text.StringBuilder(file);
        if (row is not null)
        {
            where.Append(", row ").Append(row.Value);
            if (line is not null && line != row)
            {
                where.Append(" (line ").Append(line.Value).Append(')');
            }
        }

        if (column is not null)
        {
            where.Append(", column ").Append(column.Value);
            if (!string.IsNullOrEmpty(columnName))
            {
                where.Append(" (").Append(columnName).Append(')');
            }
        }

        return $"{where}: {problem}";
    }
}
