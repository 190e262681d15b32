# Runs when a solution that uses Contoso.Sample.Core is opened in Visual Studio's Package Manager Console.
param($installPath, $toolsPath, $package, $project)

Write-Host "Contoso.Sample.Core $($package.Version): greeting helpers are ready."
