@{
    RootModule        = 'Release.psm1'
    ModuleVersion     = '0.1.0'
    GUID              = '5d0f7a53-8c1e-4b7a-9a43-2f0c6b1e9d21'
    Author            = 'Contoso'
    Description       = 'Runbook commands for the release tool: run a ring, read the status, approve or reject a gate. Returns the tool''s --output json documents as objects.'
    PowerShellVersion = '7.2'
    FunctionsToExport = @('Invoke-ReleaseRing', 'Get-ReleaseStatus', 'Approve-ReleaseGate', 'Deny-ReleaseGate')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
