using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using ResourceApi.Auth;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ResourceApi.Notes;

/// <summary>
/// <c>/api/notes</c>: the notes of the caller (the token's <c>sub</c>). Another user's note is
/// answered 404, exactly like a note that does not exist, so its existence is not revealed.
/// </summary>
public static class NotesApi
{
    public static RouteGroupBuilder MapNotesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notes").RequireAuthorization(ScopePolicy.Notes).WithTags("Notes");

        api.MapGet("/", ListAsync);
        api.MapGet("/{id:int}", GetAsync);
        api.MapPost("/", CreateAsync);
        api.MapPut("/{id:int}", UpdateAsync);
        api.MapDelete("/{id:int}", DeleteAsync);

        return api;
    }

    // Note: the API's most frequent answer, so it is written by the generated serializer in one piece.
    public static async ValueTask<BufferedJsonOk<List<NoteResponse>>> ListAsync(ClaimsPrincipal user, INotesReader notes, CancellationToken cancellationToken)
        => new(await notes.ListAsync(OwnerOf(user), cancellationToken), NotesJsonContext.Default.ListNoteResponse);

    public static async Task<Results<Ok<NoteResponse>, NotFound>> GetAsync(
        int id, ClaimsPrincipal user, NotesDbContext db, CancellationToken cancellationToken)
        => await FindAsync(db, id, user, cancellationToken) is { } note
            ? TypedResults.Ok(NoteResponse.From(note))
            : TypedResults.NotFound();

    public static async Task<Results<Created<NoteResponse>, ValidationProblem>> CreateAsync(
        NoteRequest request, ClaimsPrincipal user, NotesDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Validate(request) is { } problem)
        {
            return problem;
        }

        var now = Note.Now(time);
        var note = new Note { OwnerId = OwnerOf(user), Body = request.Body!, CreatedAt = now, UpdatedAt = now };
        db.Notes.Add(note);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/notes/{note.Id}", NoteResponse.From(note));
    }

    public static async Task<Results<Ok<NoteResponse>, NotFound, ValidationProblem>> UpdateAsync(
        int id, NoteRequest request, ClaimsPrincipal user, NotesDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Validate(request) is { } problem)
        {
            return problem;
        }

        if (await FindAsync(db, id, user, cancellationToken) is not { } note)
        {
            return TypedResults.NotFound();
        }

        note.Body = request.Body!;
        note.UpdatedAt = Note.Now(time);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(NoteResponse.From(note));
    }

    public static async Task<Results<NoContent, NotFound>> DeleteAsync(
        int id, ClaimsPrincipal user, NotesDbContext db, CancellationToken cancellationToken)
    {
        var owner = OwnerOf(user);
        var deleted = await db.Notes.Where(n => n.Id == id && n.OwnerId == owner).ExecuteDeleteAsync(cancellationToken);
        return deleted == 1 ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    private static Task<Note?> FindAsync(NotesDbContext db, int id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var owner = OwnerOf(user);
        return db.Notes.SingleOrDefaultAsync(n => n.Id == id && n.OwnerId == owner, cancellationToken);
    }

    private static string OwnerOf(ClaimsPrincipal user)
        => user.GetClaim(Claims.Subject) ?? throw new InvalidOperationException("An authenticated caller has no subject.");

    private static ValidationProblem? Validate(NoteRequest request)
    {
        var error = request.Body switch
        {
            null => "The body is required.",
            { } body when string.IsNullOrWhiteSpace(body) => "The body must not be empty.",
            { Length: > Note.MaxBodyLength } => $"The body must be at most {Note.MaxBodyLength} characters.",
            _ => null,
        };

        return error is null ? null : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [error] });
    }
}
