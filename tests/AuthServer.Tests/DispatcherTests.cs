using AuthRefresh.Testing;
using AuthServer.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tests;

/// <summary>
/// AuthServer dispatches OpenIddict's server events through <see cref="IndexedDispatcher"/>. Here
/// it and OpenIddict's own dispatcher run the same handlers on the same event, and must run the
/// same ones in the same order: filters decide, a rejection stops the event, scoped handlers come
/// from the request's container and singletons are shared.
/// </summary>
public sealed class DispatcherTests
{
    [Fact]
    public void The_server_dispatches_through_the_index()
    {
        using var factory = new AuthServerFactory();
        using var scope = factory.Services.CreateScope();

        Assert.IsType<IndexedDispatcher>(scope.ServiceProvider.GetRequiredService<IOpenIddictServerDispatcher>());
    }

    [Fact]
    public async Task It_runs_the_handlers_OpenIddicts_dispatcher_runs_in_the_same_order_and_stops_where_it_stops()
    {
        using var services = Services(
            Step<Recorder.First>(1),
            Step<Recorder.Inactive>(2, step => step.AddFilter<Never>()),
            Step<Recorder.Scoped>(3, step => step.AddFilter<Always>().AddFilter<Later>()),
            Step<Recorder.Inactive>(4, step => step.AddFilter<Always>().AddFilter<LaterNever>()),
            OtherEvent(5),
            Step<Recorder.Rejects>(6, step => step.AddFilter<Later>()),
            Step<Recorder.AfterRejection>(7));

        var theirs = await DispatchAsync(services, (provider, monitor) => new OpenIddictServerDispatcher(
            provider.GetRequiredService<ILogger<OpenIddictServerDispatcher>>(), monitor, provider));
        var ours = await DispatchAsync(services, (provider, monitor) => new IndexedDispatcher(
            provider.GetRequiredService<ILogger<OpenIddictServerDispatcher>>(), monitor, provider,
            services.GetRequiredService<DispatchPlan>()));

        string[] expected = ["First", "Scoped", "Rejects"];
        Assert.Equal(expected, theirs.Ran);
        Assert.Equal(expected, ours.Ran);
        Assert.True(ours.Context.IsRejected);
    }

    [Fact]
    public async Task A_scoped_handler_is_the_requests_own_and_a_singleton_is_shared()
    {
        using var services = Services(Step<Recorder.First>(1), Step<Recorder.Scoped>(2));
        var monitor = services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>();
        var plan = services.GetRequiredService<DispatchPlan>();
        var scoped = new List<object>();
        var singletons = new List<object>();

        for (var request = 0; request < 2; request++)
        {
            using var scope = services.CreateScope();
            var dispatcher = new IndexedDispatcher(
                scope.ServiceProvider.GetRequiredService<ILogger<OpenIddictServerDispatcher>>(), monitor, scope.ServiceProvider, plan);
            await dispatcher.DispatchAsync(new ProcessRequestContext(new OpenIddictServerTransaction()));
            scoped.Add(scope.ServiceProvider.GetRequiredService<Recorder.Scoped>());
            singletons.Add(services.GetRequiredService<Recorder.First>());
            Assert.Equal(1, ((Recorder.Scoped)scoped[^1]).Calls);
        }

        Assert.NotSame(scoped[0], scoped[1]);
        Assert.Same(singletons[0], singletons[1]);
        Assert.Equal(2, ((Recorder.First)singletons[0]).Calls);
    }

    [Fact]
    public void A_new_set_of_server_options_gets_its_own_steps()
    {
        using var services = Services(Step<Recorder.First>(1));
        var plan = services.GetRequiredService<DispatchPlan>();
        var before = new OpenIddictServerOptions();
        before.Handlers.Clear();
        before.Handlers.Add(Step<Recorder.First>(1));
        var after = new OpenIddictServerOptions();
        after.Handlers.Clear();
        after.Handlers.AddRange([Step<Recorder.First>(1), Step<Recorder.Scoped>(2)]);

        Assert.Single(plan.For<ProcessRequestContext>(before));
        Assert.Equal(2, plan.For<ProcessRequestContext>(after).Length);
        Assert.Same(plan.For<ProcessRequestContext>(after), plan.For<ProcessRequestContext>(after));
    }

    private static async Task<(List<string> Ran, ProcessRequestContext Context)> DispatchAsync(
        ServiceProvider services, Func<IServiceProvider, IOptionsMonitor<OpenIddictServerOptions>, IOpenIddictServerDispatcher> create)
    {
        using var scope = services.CreateScope();
        var context = new ProcessRequestContext(new OpenIddictServerTransaction());
        await create(scope.ServiceProvider, services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>()).DispatchAsync(context);
        return (Ran(context), context);
    }

    private static ServiceProvider Services(params OpenIddictServerHandlerDescriptor[] handlers)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton<Recorder.First>();
        services.AddScoped<Recorder.Scoped>();
        services.AddTransient<Recorder.Inactive>();
        services.AddTransient<Recorder.Rejects>();
        services.AddTransient<Recorder.AfterRejection>();
        services.AddSingleton<Recorder.OtherEvent>();
        services.AddSingleton<Always>();
        services.AddSingleton<Never>();
        services.AddScoped<Later>();
        services.AddSingleton<LaterNever>();
        services.Configure<OpenIddictServerOptions>(options =>
        {
            // Note: the options start with OpenIddict's default handlers.
            options.Handlers.Clear();
            options.Handlers.AddRange(handlers);
        });
        services.AddSingleton(provider => new DispatchPlan(provider, services));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    private static OpenIddictServerHandlerDescriptor Step<THandler>(
        int order, Func<OpenIddictServerHandlerDescriptor.Builder<ProcessRequestContext>, OpenIddictServerHandlerDescriptor.Builder<ProcessRequestContext>>? filters = null)
        where THandler : class, IOpenIddictServerHandler<ProcessRequestContext>
    {
        var builder = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessRequestContext>()
            .UseScopedHandler<THandler>()
            .SetOrder(order);
        return (filters?.Invoke(builder) ?? builder).Build();
    }

    private static OpenIddictServerHandlerDescriptor OtherEvent(int order)
        => OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessErrorContext>()
            .UseSingletonHandler<Recorder.OtherEvent>()
            .SetOrder(order)
            .Build();

    /// <summary>Handlers that write their name in the event's list (<see cref="Ran"/>).</summary>
    private abstract class Recorder(string name) : IOpenIddictServerHandler<ProcessRequestContext>
    {
        public int Calls { get; private set; }

        public virtual ValueTask HandleAsync(ProcessRequestContext context)
        {
            Calls++;
            Ran(context).Add(name);
            return ValueTask.CompletedTask;
        }

        internal sealed class First() : Recorder("First");

        internal sealed class Scoped() : Recorder("Scoped");

        internal sealed class Inactive() : Recorder("Inactive");

        internal sealed class AfterRejection() : Recorder("AfterRejection");

        internal sealed class Rejects() : Recorder("Rejects")
        {
            public override async ValueTask HandleAsync(ProcessRequestContext context)
            {
                await base.HandleAsync(context);
                context.Reject(error: "invalid_request");
            }
        }

        internal sealed class OtherEvent : IOpenIddictServerHandler<ProcessErrorContext>
        {
            public ValueTask HandleAsync(ProcessErrorContext context) => throw new InvalidOperationException("Another event's handler ran.");
        }
    }

    private static List<string> Ran(ProcessRequestContext context)
    {
        if (!context.Transaction.Properties.TryGetValue("ran", out var ran))
        {
            context.Transaction.Properties["ran"] = ran = new List<string>();
        }

        return (List<string>)ran!;
    }

    private sealed class Always : IOpenIddictServerHandlerFilter<BaseContext>
    {
        public ValueTask<bool> IsActiveAsync(BaseContext context) => ValueTask.FromResult(true);
    }

    private sealed class Never : IOpenIddictServerHandlerFilter<BaseContext>
    {
        public ValueTask<bool> IsActiveAsync(BaseContext context) => ValueTask.FromResult(false);
    }

    /// <summary>A scoped filter that answers after a yield, as one that reads something would.</summary>
    private sealed class Later : IOpenIddictServerHandlerFilter<BaseContext>
    {
        public async ValueTask<bool> IsActiveAsync(BaseContext context)
        {
            await Task.Yield();
            return true;
        }
    }

    private sealed class LaterNever : IOpenIddictServerHandlerFilter<BaseContext>
    {
        public async ValueTask<bool> IsActiveAsync(BaseContext context)
        {
            await Task.Yield();
            return false;
        }
    }
}
