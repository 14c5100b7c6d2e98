using AuthServer.Admin;
using AuthServer.Keys;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AuthServer.Data;

/// <summary>
/// AuthServer's one database: Identity, OpenIddict's applications, authorizations, scopes and
/// tokens, the Data Protection key ring and the token signing and encryption keys. Its migrations
/// are SQLite's; <see cref="PostgreSqlApplicationDbContext"/> has PostgreSQL's.
/// </summary>
public class ApplicationDbContext : IdentityDbContext<ApplicationUser>, IDataProtectionKeyContext
{
    /// <summary>The connection string AuthServer's database is named by.</summary>
    public const string ConnectionStringName = "AuthServer";

    public ApplicationDbContext(DbContextOptions<ApplicationDbContext> options)
        : base(options)
    {
    }

    protected ApplicationDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<StoredKey> StoredKeys => Set<StoredKey>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<SecurityEvent> SecurityEvents => Set<SecurityEvent>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();

        builder.Entity<StoredKey>(key =>
        {
            key.ToTable("StoredKeys");
            key.HasKey(k => k.Id);
            key.Property(k => k.Id).HasMaxLength(64);
            key.Property(k => k.Use).HasMaxLength(8);
            key.Property(k => k.Algorithm).HasMaxLength(32);
        });

        // Note: times are stored as UTC ticks, so that SQLite can sort and compare them.
        builder.Entity<AuditEntry>(entry =>
        {
            entry.Property(e => e.At).HasConversion(new DateTimeOffsetToBinaryConverter());
            entry.HasIndex(e => e.At);
        });
        builder.Entity<SecurityEvent>(entry =>
        {
            entry.Property(e => e.At).HasConversion(new DateTimeOffsetToBinaryConverter());
            entry.HasIndex(e => new { e.Type, e.At });
            entry.Property(e => e.AuthorizationId).HasMaxLength(100);
            entry.HasIndex(e => e.AuthorizationId);
        });
    }
}
