"""The shipped rulesets: installed with perfrules as the package data of perfrules.rulesets,
so that `extends: national/project-2020` resolves outside a checkout."""
