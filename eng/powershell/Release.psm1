# PowerShell runbook commands for `release`: each runs the tool with --output json and returns its document as
# objects (docs/output/*.schema.json). Pending (exit 3) is a result, not an error: the ring's object comes back
# with outcome 'pending' and the gates' 'waiting'. Every other non-zero exit code throws an ErrorRecord whose
# FullyQualifiedErrorId names it (Release.Failed, Release.UsageError, Release.Locked, Release.IntegrityViolation,
# Release.Cancelled), with the tool's JSON document (when it wrote one) as TargetObject.
Set-StrictMode -Version 3.0

$script:ExitCodeIds = @{
    1   = @('Release.Failed', [System.Management.Automation.ErrorCategory]::InvalidResult)
    2   = @('Release.UsageError', [System.Management.Automation.ErrorCategory]::InvalidArgument)
    4   = @('Release.Locked', [System.Management.Automation.ErrorCategory]::ResourceBusy)
    5   = @('Release.IntegrityViolation', [System.Management.Automation.ErrorCategory]::SecurityError)
    130 = @('Release.Cancelled', [System.Management.Automation.ErrorCategory]::OperationStopped)
    143 = @('Release.Cancelled', [System.Management.Automation.ErrorCategory]::OperationStopped)
}

# The tool to run: $env:RELEASE_CLI (an executable, or release.dll run with dotnet), the tool this module was
# installed with (..\release.dll beside it in the tool's package), or `release` on PATH.
function Get-ReleaseCommand {
    $candidates = @()
    if ($env:RELEASE_CLI) { $candidates += $env:RELEASE_CLI }
    $beside = Join-Path $PSScriptRoot '..' 'release.dll'
    if (Test-Path -LiteralPath $beside) { $candidates += (Resolve-Path -LiteralPath $beside).Path }
    foreach ($candidate in $candidates) {
        if ($candidate.EndsWith('.dll', [StringComparison]::OrdinalIgnoreCase)) { return @('dotnet', $candidate) }
        return @($candidate)
    }
    $onPath = Get-Command -Name 'release' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $onPath) {
        $record = [System.Management.Automation.ErrorRecord]::new(
            [System.IO.FileNotFoundException]::new("The release tool was not found. Install it (dotnet tool install --global ReleaseCli) or set RELEASE_CLI to its path."),
            'Release.ToolNotFound', [System.Management.Automation.ErrorCategory]::ObjectNotFound, $null)
        throw $record
    }
    return @($onPath.Source)
}

# Runs the tool with --output json; returns the parsed document, or throws by exit code.
function Invoke-ReleaseCli {
    param([Parameter(Mandatory)][string[]] $Arguments)
    $command = @(Get-ReleaseCommand)
    $all = @($command | Select-Object -Skip 1) + $Arguments + @('--output', 'json')
    $stderrFile = [System.IO.Path]::GetTempFileName()
    try {
        $stdout = & $command[0] @all 2> $stderrFile
        $code = $LASTEXITCODE
        $stderr = (Get-Content -LiteralPath $stderrFile -Raw) ?? ''
    }
    finally {
        Remove-Item -LiteralPath $stderrFile -ErrorAction SilentlyContinue
    }
    $text = ($stdout | Out-String).Trim()
    $document = if ($text) { $text | ConvertFrom-Json } else { $null }
    if ($code -eq 0 -or $code -eq 3) {
        return $document
    }
    $id, $category = $script:ExitCodeIds[[int]$code] ?? @('Release.Failed', [System.Management.Automation.ErrorCategory]::NotSpecified)
    $message = if ($document -and $document.PSObject.Properties['error']) { $document.error }
               elseif ($document -and $document.PSObject.Properties['message']) { $document.message }
               else { $stderr.Trim() }
    $exception = [System.Exception]::new("release $($Arguments[0]) exited with $code ($id): $message")
    $exception.Data['ExitCode'] = $code
    $exception.Data['StandardError'] = $stderr
    $record = [System.Management.Automation.ErrorRecord]::new($exception, $id, $category, $document)
    throw $record
}

function Add-DefinitionArgument([System.Collections.Generic.List[string]] $Arguments, [string] $Definition) {
    if ($Definition) { $Arguments.Add('--definition'); $Arguments.Add($Definition) }
}

<#
.SYNOPSIS
Runs one ring of the release and returns the ring's report (docs/output/ring.schema.json).
.DESCRIPTION
Returns the report when the ring was promoted (outcome 'promoted') or waits for people or an external run
(outcome 'pending', exit 3: see each gate's 'waiting'). Throws Release.Failed, Release.UsageError, Release.Locked,
Release.IntegrityViolation or Release.Cancelled otherwise.
#>
function Invoke-ReleaseRing {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)][ValidateSet('prep', 'validate-source', 'validate-build', 'stage', 'publish')][string] $Ring,
        [int] $Build,
        [string] $Definition,
        [switch] $NoWait,
        [switch] $ForceEntry,
        [string] $Justification
    )
    $arguments = [System.Collections.Generic.List[string]]::new()
    $arguments.Add($Ring)
    if ($PSBoundParameters.ContainsKey('Build')) { $arguments.Add('--build'); $arguments.Add([string]$Build) }
    Add-DefinitionArgument $arguments $Definition
    if ($NoWait) { $arguments.Add('--no-wait') }
    if ($ForceEntry) { $arguments.Add('--force-entry') }
    if ($Justification) { $arguments.Add('--justification'); $arguments.Add($Justification) }
    Invoke-ReleaseCli -Arguments $arguments
}

<#
.SYNOPSIS
Returns the release as its ledger tells it (docs/output/status.schema.json).
#>
function Get-ReleaseStatus {
    [CmdletBinding()]
    param(
        [string] $Definition,
        [switch] $Verify
    )
    $arguments = [System.Collections.Generic.List[string]]::new()
    $arguments.Add('status')
    Add-DefinitionArgument $arguments $Definition
    if ($Verify) { $arguments.Add('--verify') }
    Invoke-ReleaseCli -Arguments $arguments
}

<#
.SYNOPSIS
Approves a ring's approval gate, or signs off for a team on a sign-offs gate; returns the decision (docs/output/decision.schema.json).
#>
function Approve-ReleaseGate {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)][ValidateSet('prep', 'validate-source', 'validate-build', 'stage', 'publish')][string] $Ring,
        [Parameter(Mandatory, Position = 1)][string] $Gate,
        [string] $Team,
        [string] $Comment,
        [string] $Definition
    )
    $arguments = [System.Collections.Generic.List[string]]::new()
    $arguments.AddRange([string[]]@('approve', $Ring, '--gate', $Gate))
    if ($Team) { $arguments.Add('--team'); $arguments.Add($Team) }
    if ($Comment) { $arguments.Add('--comment'); $arguments.Add($Comment) }
    Add-DefinitionArgument $arguments $Definition
    Invoke-ReleaseCli -Arguments $arguments
}

<#
.SYNOPSIS
Rejects a ring's approval or sign-offs gate (release reject); the gate fails until approved again. Returns the decision.
#>
function Deny-ReleaseGate {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)][ValidateSet('prep', 'validate-source', 'validate-build', 'stage', 'publish')][string] $Ring,
        [Parameter(Mandatory, Position = 1)][string] $Gate,
        [Parameter(Mandatory)][string] $Reason,
        [string] $Team,
        [string] $Definition
    )
    $arguments = [System.Collections.Generic.List[string]]::new()
    $arguments.AddRange([string[]]@('reject', $Ring, '--gate', $Gate, '--reason', $Reason))
    if ($Team) { $arguments.Add('--team'); $arguments.Add($Team) }
    Add-DefinitionArgument $arguments $Definition
    Invoke-ReleaseCli -Arguments $arguments
}

Export-ModuleMember -Function Invoke-ReleaseRing, Get-ReleaseStatus, Approve-ReleaseGate, Deny-ReleaseGate
