using System.Text;

namespace ActorMove.Engine.Migration;

/// <summary>
/// Splits a CSV or TSV text into records, RFC 4180 style: a field that starts with a quote runs to the matching quote,
/// may hold delimiters and line breaks, and writes a quote as two. Unquoted fields are trimmed of spaces. Lines that are
/// empty (or only spaces and delimiters) and lines starting with '#' are skipped and are not rows. Reads through a
/// fixed buffer, so a file of any length is read with memory bounded by its longest record.
/// </summary>
internal sealed class ManifestRecordReader
{
    /// <summary>No DICOM string value comes near this; a longer field means a broken file (e.g. a quote never closed).</summary>
    public const int MaxFieldLength = 65536;

    private const int BufferSize = 16384;

    private readonly TextReader _reader;
    private readonly string _file;
    private readonly char _delimiter;
    private readonly char[] _buffer = new char[BufferSize];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private int _line = 1;

    public ManifestRecordReader(TextReader reader, string file, char delimiter)
    {
        _reader = reader;
        _file = file;
        _delimiter = delimiter;
    }

    /// <summary>Header texts, once known, so errors can name the column.</summary>
    public IReadOnlyList<string>? ColumnNames { get; set; }

    /// <summary>The number the next record will get (header = 1).</summary>
    public int Row { get; private set; } = 1;

    /// <summary>Reads the next record that is not blank or a comment into <paramref name="fields"/>; false at the end.</summary>
    public bool TryRead(List<string> fields, out int row, out int line)
    {
        while (true)
        {
            fields.Clear();
            int peek = Peek();
            if (peek < 0)
            {
                row = line = 0;
                return false;
            }

            line = _line;
            row = Row;
            if (peek == '#')
            {
                SkipLine();
                continue;
            }

            bool anyQuoted = ReadRecord(fields, row, line);
            if (!anyQuoted && fields.TrueForAll(f => f.Length == 0))
            {
                continue;
            }

            Row++;
            return true;
        }
    }

    private bool ReadRecord(List<string> fields, int row, int line)
    {
        bool anyQuoted = false;
        while (true)
        {
            int column = fields.Count + 1;
            bool quoted = ReadField(row, line, column);
            anyQuoted |= quoted;
            fields.Add(_field.ToString());
            int next = Read();
            if (next == _delimiter)
            {
                continue;
            }

            // End of line or of file ends the record.
            return anyQuoted;
        }
    }

    /// <summary>Reads one field into <see cref="_field"/>, leaving the delimiter or line end unread.</summary>
    private bool ReadField(int row, int line, int column)
    {
        _field.Clear();
        SkipSpaces();
        if (Peek() != '"')
        {
            while (true)
            {
                int c = Peek();
                if (c < 0 || c == _delimiter || c == '\n' || c == '\r')
                {
                    TrimEndSpaces();
                    return false;
                }

                if (c == '"')
                {
                    throw Error(row, line, column, "a quote inside an unquoted field (quote the whole field and double the quote)");
                }

                Append((char)Read(), row, line, column);
            }
        }

        Read(); // the opening quote
        while (true)
        {
            int c = Read();
            if (c < 0)
            {
                throw Error(row, line, column, "unterminated quote: the quoted field runs to the end of the file");
            }

            if (c == '"')
            {
                if (Peek() == '"')
                {
                    Read();
                    Append('"', row, line, column);
                    continue;
                }

                SkipSpaces();
                int after = Peek();
                if (after >= 0 && after != _delimiter && after != '\n' && after != '\r')
                {
                    throw Error(row, line, column, $"'{(char)after}' after the closing quote of a quoted field");
                }

                return true;
            }

            Append((char)c, row, line, column);
        }
    }

    private void Append(char c, int row, int line, int column)
    {
        if (_field.Length >= MaxFieldLength)
        {
            throw Error(row, line, column, $"a field longer than {MaxFieldLength} characters");
        }

        _field.Append(c);
    }

    private void TrimEndSpaces()
    {
        int end = _field.Length;
        while (end > 0 && IsSpace(_field[end - 1]))
        {
            end--;
        }

        _field.Length = end;
    }

    private bool IsSpace(int c) => c == ' ' || (c == '\t' && _delimiter != '\t');

    private void SkipSpaces()
    {
        while (IsSpace(Peek()))
        {
            Read();
        }
    }

    private void SkipLine()
    {
        while (true)
        {
            int c = Read();
            if (c < 0 || c == '\n' || c == '\r')
            {
                return;
            }
        }
    }

    private ManifestException Error(int row, int line, int column, string problem)
    {
        string? name = ColumnNames is { } names && column <= names.Count ? names[column - 1] : null;
        return new ManifestException(_file, row, line, column, name, problem);
    }

    private int Peek()
    {
        if (_position == _length && !Fill())
        {
            return -1;
        }

        return _buffer[_position];
    }

    /// <summary>Returns '\n' for every line ending (\n, \r\n, a lone \r) and counts lines.</summary>
    private int Read()
    {
        if (_position == _length && !Fill())
        {
            return -1;
        }

        char c = _buffer[_position++];
        if (c == '\r')
        {
            if (Peek() == '\n')
            {
                _position++;
            }

            c = '\n';
        }

        if (c == '\n')
        {
            _line++;
        }

        return c;
    }

    private bool Fill()
    {
        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }
}
