namespace SampleClient.Notes;

/// <summary>ResourceApi did not answer (unreachable, timed out) after the resilience pipeline's attempts, or answered with an error (a 5xx).</summary>
public sealed class NotesUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
