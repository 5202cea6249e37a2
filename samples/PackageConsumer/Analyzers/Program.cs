using AnalyzerConsumer;

// The corrected definitions are valid: what the analyzers let through, Validate() accepts.
var result = Definitions.Define().Validate();
Console.WriteLine(result.IsValid ? "The corrected definitions are valid." : result.ToString());
return result.IsValid ? 0 : 1;
