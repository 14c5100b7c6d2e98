using Microsoft.EntityFrameworkCore;

namespace ResourceApi.Notes;

/// <summary><see cref="NotesDbContext"/> on PostgreSQL: the same model, its own migrations.</summary>
public sealed class PostgreSqlNotesDbContext(DbContextOptions<PostgreSqlNotesDbContext> options) : NotesDbContext(options);
