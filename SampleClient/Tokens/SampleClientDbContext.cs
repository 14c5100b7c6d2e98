using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace SampleClient.Tokens;

/// <summary>
/// SampleClient's database: token sessions, their rotations and the Data Protection key ring. Its
/// migrations are SQLite's; <see cref="PostgreSqlSampleClientDbContext"/> has PostgreSQL's.
/// </summary>
public class SampleClientDbContext : DbContext, IDataProtectionKeyContext
{
    public SampleClientDbContext(DbContextOptions<SampleClientDbContext> options)
        : base(options)
    {
    }

    protected SampleClientDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<TokenSession> Sessions => Set<TokenSession>();

    public DbSet<Rotation> Rotations => Set<Rotation>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.Entity<TokenSession>(session =>
        {
            session.Property(s => s.Id).HasMaxLength(64);
            session.HasMany(s => s.Rotations).WithOne().HasForeignKey(r => r.SessionId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Rotation>(rotation => rotation.Property(r => r.Reason).HasMaxLength(100));
    }
}
