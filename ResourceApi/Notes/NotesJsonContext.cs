using System.Text.Json;
using System.Text.Json.Serialization;

namespace ResourceApi.Notes;

/// <summary>
/// The notes' JSON, generated at build time with the web defaults minimal APIs use (camelCase,
/// case-insensitive reading), so that writing a list runs generated code instead of reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(List<NoteResponse>))]
[JsonSerializable(typeof(NoteRequest))]
internal sealed partial class NotesJsonContext : JsonSerializerContext;
