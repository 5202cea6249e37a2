using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using Spectre.Console;

namespace MlEnvironments.Cli.Infrastructure;

/// <summary>
/// Where <c>mlenv</c> writes. On a terminal (not redirected, not in CI): colour, a progress display and prompts,
/// through Spectre.Console. Otherwise plain text, no escape codes, no prompts. Every line passes through a redactor
/// that replaces any known secret value (tokens, the definition's secret values) with <c>***</c>, then through
/// <see cref="Escape"/>: no text that reaches the terminal (a name from a file, a message from GitHub) can hold a
/// control character (ESC, BEL, a carriage return), a bidirectional override or a line separator of its own.
/// </summary>
internal sealed class CliConsole
{
    private const string Redacted = "***";
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly IAnsiConsole? _ansiOut;
    private readonly IAnsiConsole? _ansiError;
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);

    private CliConsole(TextWriter output, TextWriter error, bool interactive, bool color)
    {
        _out = output;
        _error = error;
        IsInteractive = interactive;
        UseColor = color;
        if (interactive)
        {
            _ansiOut = Create(output, color);
            _ansiError = Create(error, color);
        }
    }

    /// <summary>Whether a person is at a terminal: prompts and progress are shown.</summary>
    public bool IsInteractive { get; }

    /// <summary>Whether colour is used.</summary>
    public bool UseColor { get; }

    /// <summary>The console of this process: interactive when no stream is redirected and <c>CI</c> is not set.</summary>
    public static CliConsole ForProcess(IEnvironmentReader environment)
    {
        var ci = environment.Get(EnvironmentNames.Ci) is { } value && !value.Equals("false", StringComparison.OrdinalIgnoreCase) && value != "0";
        var dumb = string.Equals(environment.Get("TERM"), "dumb", StringComparison.Ordinal);
        var interactive = !ci && !dumb && !Console.IsInputRedirected && !Console.IsOutputRedirected && !Console.IsErrorRedirected;
        var color = interactive && environment.Get(EnvironmentNames.NoColor) is null;
        return new CliConsole(Console.Out, Console.Error, interactive, color);
    }

    /// <summary>A plain console on the given writers (tests).</summary>
    public static CliConsole Plain(TextWriter output, TextWriter error) => new(output, error, interactive: false, color: false);

    /// <summary>Never prints this value: every occurrence becomes <c>***</c>.</summary>
    public void AddSecret(string? value)
    {
        // Very short values would redact ordinary words; no real token or key is that short.
        if (value is { Length: >= 6 })
        {
            _secrets.Add(value);
        }
    }

    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Redacted, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>
    /// Shows every character that could act on a terminal or break a line as an escape (<c>\u001b</c>): C0 and C1
    /// control characters (line feeds too, unless <paramref name="keepLineFeeds"/>), format characters (bidirectional
    /// overrides, zero-width characters), line and paragraph separators, and lone surrogates. Tabs stay.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="keepLineFeeds">Whether <c>\n</c> (and a <c>\r</c> right before it) stays a line break: for multi-line results.</param>
    /// <returns>The text, safe to write to a terminal.</returns>
    public static string Escape(string text, bool keepLineFeeds = false)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? replacement = null;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            if (keepLineFeeds && (c == '\n' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')))
            {
                replacement = c == '\n' ? "\n" : string.Empty;
            }
            else if (c != '\t' && CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or
                UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate)
            {
                replacement = "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture);
            }

            if (replacement is null)
            {
                builder?.Append(c);
                continue;
            }

            builder ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
            builder.Append(replacement);
        }

        return builder?.ToString() ?? text;
    }

    /// <summary>A result (plan, findings, YAML, JSON): written as it is (escaped, line breaks kept), to standard output.</summary>
    public void Result(string text)
    {
        text = Document(text);
        _out.WriteLine(text);
    }

    /// <summary>A plan or apply listing in text form: <c>+</c> lines green, <c>~</c> yellow, <c>-</c> red on a terminal.</summary>
    public void Diff(string text)
    {
        text = Document(text);
        if (_ansiOut is null || !UseColor)
        {
            _out.WriteLine(text);
            return;
        }

        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimStart();
            var style = trimmed.StartsWith("+ ", StringComparison.Ordinal) || trimmed.StartsWith("applied:", StringComparison.Ordinal) ? "green"
                : trimmed.StartsWith("~ ", StringComparison.Ordinal) ? "yellow"
                : trimmed.StartsWith("- ", StringComparison.Ordinal) || trimmed.StartsWith("FAILED", StringComparison.Ordinal) ? "red"
                : trimmed.StartsWith("warning:", StringComparison.Ordinal) || trimmed.StartsWith("skipped:", StringComparison.Ordinal) ? "yellow"
                : null;
            _ansiOut.MarkupLine(style is null ? Markup.Escape(line) : $"[{style}]{Markup.Escape(line)}[/]");
        }
    }

    /// <summary>Lint findings in text form: errors red, warnings yellow, hints grey on a terminal.</summary>
    public void Findings(string text)
    {
        text = Document(text);
        if (_ansiOut is null || !UseColor)
        {
            _out.WriteLine(text);
            return;
        }

        foreach (var line in text.Split('\n'))
        {
            var style = line.Contains(": error: ", StringComparison.Ordinal) ? "red"
                : line.Contains(": warning: ", StringComparison.Ordinal) ? "yellow"
                : line.TrimStart().StartsWith("hint:", StringComparison.Ordinal) || line.Contains(": info: ", StringComparison.Ordinal) ? "grey"
                : null;
            _ansiOut.MarkupLine(style is null ? Markup.Escape(line) : $"[{style}]{Markup.Escape(line)}[/]");
        }
    }

    /// <summary>A promotion report in text form: <c>PASS</c> lines green, <c>FAIL</c> lines red, problems yellow on a terminal.</summary>
    public void Report(string text)
    {
        text = Document(text);
        if (_ansiOut is null || !UseColor)
        {
            _out.WriteLine(text);
            return;
        }

        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimStart();
            var style = trimmed.StartsWith("PASS ", StringComparison.Ordinal) || trimmed.StartsWith("All ", StringComparison.Ordinal) ? "green"
                : trimmed.StartsWith("FAIL ", StringComparison.Ordinal) || line.Contains(" must not be promoted", StringComparison.Ordinal) ? "red"
                : trimmed.StartsWith("! ", StringComparison.Ordinal) ? "yellow"
                : null;
            _ansiOut.MarkupLine(style is null ? Markup.Escape(line) : $"[{style}]{Markup.Escape(line)}[/]");
        }
    }

    /// <summary>A line of information.</summary>
    public void Info(string text) => Styled(_out, _ansiOut, text, "grey");

    /// <summary>A heading (bold on a terminal).</summary>
    public void Heading(string text) => Styled(_out, _ansiOut, text, "bold");

    /// <summary>A line saying something went well.</summary>
    public void Success(string text) => Styled(_out, _ansiOut, text, "green");

    /// <summary>A warning, on standard error.</summary>
    public void Warning(string text) => Styled(_error, _ansiError, "warning: " + text, "yellow");

    /// <summary>Details under an error (a stack trace with MLENV_DEBUG): several lines, escaped, on standard error.</summary>
    public void Detail(string text) => _error.WriteLine(Document(text));

    /// <summary>An error: one line, then the hint; on standard error.</summary>
    public void Error(string message, string? hint)
    {
        Styled(_error, _ansiError, "error: " + message, "red");
        if (!string.IsNullOrWhiteSpace(hint))
        {
            Styled(_error, _ansiError, "hint: " + hint, "grey");
        }
    }

    /// <summary>An error with several lines under it (every violation of a definition), then the hint; on standard error.</summary>
    public void ErrorLines(string message, IEnumerable<string> lines, string hint)
    {
        Styled(_error, _ansiError, "error: " + message, "red");
        foreach (var line in lines)
        {
            Styled(_error, _ansiError, "  - " + line, "red");
        }

        Styled(_error, _ansiError, "hint: " + hint, "grey");
    }

    /// <summary>Runs work with a progress display on a terminal, silently otherwise.</summary>
    public async Task<T> ProgressAsync<T>(string status, Func<Task<T>> work)
    {
        if (_ansiError is null)
        {
            return await work().ConfigureAwait(false);
        }

        // On standard error, so that what goes to standard output stays clean.
        return await _ansiError.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(Escape(Redact(status))), _ => work()).ConfigureAwait(false);
    }

    /// <summary>Asks a yes/no question on a terminal; the answer is no unless the person types yes.</summary>
    public bool Confirm(string question)
    {
        if (_ansiOut is null)
        {
            return false;
        }

        return _ansiOut.Prompt(new ConfirmationPrompt(Markup.Escape(Escape(Redact(question)))) { DefaultValue = false });
    }

    // A multi-line text: secrets redacted, every line escaped, no trailing line break.
    private string Document(string text) => Escape(Redact(text), keepLineFeeds: true).TrimEnd('\n');

    // One line: secrets redacted, line breaks escaped too.
    private void Styled(TextWriter writer, IAnsiConsole? console, string text, string style)
    {
        text = Escape(Redact(text));
        if (console is null || !UseColor)
        {
            writer.WriteLine(text);
            return;
        }

        console.MarkupLine($"[{style}]{Markup.Escape(text)}[/]");
    }

    private static IAnsiConsole Create(TextWriter writer, bool color) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = color ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = color ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.Yes,
    });
}
