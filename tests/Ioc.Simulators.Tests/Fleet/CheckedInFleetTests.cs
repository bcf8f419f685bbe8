using Ioc.Simulators.Fleet;
using Ioc.Simulators.Tests.Shared;

namespace Ioc.Simulators.Tests.Fleet;

/// <summary>The fleet files kept in simulators/fleets/ load and match the generator.</summary>
public sealed class CheckedInFleetTests
{
    [Fact]
    public void Load_HaiDuongSpecFile_SameFleetAsTheBuiltInDefault()
    {
        // Act
        var fromFile = FleetFile.Load(Path.Combine(RepositoryRoot(), "simulators", "fleets", "hai-duong.json"), defaultSeed: 0);

        // Assert
        Assert.Equal(FleetFile.Serialize(TestFleets.Default), FleetFile.Serialize(fromFile));
    }

    [Fact]
    public void Load_SmallSpecFile_SameFleetAsTheTestsSmallFleet()
    {
        // Act
        var fromFile = FleetFile.Load(Path.Combine(RepositoryRoot(), "simulators", "fleets", "small.json"), defaultSeed: 0);

        // Assert
        Assert.Equal(FleetFile.Serialize(SmallFleet.Create()), FleetFile.Serialize(fromFile));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Ioc.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("Ioc.sln not found above " + AppContext.BaseDirectory);
    }
}
