using System.Text;

namespace ActorMove.Cli.Options;

/// <summary>
/// Replaces "@file" arguments by the file's words, as DCMTK does before it looks at any option.
/// Rules observed on movescu 3.6.7: words are separated by space, tab, CR and LF; a single or double quote starts a quoted
/// part that runs to the same quote character (spanning lines, keeping everything else literally, the other quote included)
/// and the closing quote ends the word, even an empty one; a quote does not start a new word ("a"b c"" is one word "ab c");
/// an unterminated quote runs to the end of the file; a NUL drops the rest of its line.
/// A command file cannot include another: an "@name" inside a file stays a plain argument. A lone "@" is a plain argument too.
/// </summary>
public static class CommandFileExpander
{
    public const char CommandFilePrefix = '@';

    /// <summary>Expands every command file argument; on a file that cannot be read, returns false and names it.</summary>
    public static bool TryExpand(IReadOnlyList<string> arguments, out List<string> expanded, out string? unreadableFile)
    {
        expanded = new List<string>(arguments.Count);
        unreadableFile = null;
        foreach (string argument in arguments)
        {
            if (argument.Length > 1 && argument[0] == CommandFilePrefix)
            {
                string path = argument[1..];
                byte[] content;
                try
                {
                    content = File.ReadAllBytes(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                {
                    unreadableFile = path;
                    return false;
                }

                expanded.AddRange(SplitWords(Encoding.UTF8.GetString(content)));
            }
            else
            {
                expanded.Add(argument);
            }
        }

        return true;
    }

    public static List<string> SplitWords(string content)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char quote = '\0';
        for (int i = 0; i < content.Length; i++)
        {
            char c = content[i];
            if (c == '\0')
            {
                // DCMTK reads the file line by line into C strings, so a NUL hides the rest of its line.
                int lineEnd = content.IndexOf('\n', i);
                if (lineEnd < 0)
                {
                    break;
                }

                i = lineEnd - 1;
                continue;
            }

            if (quote != '\0')
            {
                if (c == quote)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c is ' ' or '\t' or '\r' or '\n')
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
