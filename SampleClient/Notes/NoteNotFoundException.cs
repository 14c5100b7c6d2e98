namespace SampleClient.Notes;

/// <summary>The note asked for is not there (404): deleted meanwhile, in another tab or on another device.</summary>
public sealed class NoteNotFoundException() : Exception("The note does not exist.");
