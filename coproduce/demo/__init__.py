"""The demo organisation, Riverside Homes, and the story of its tenants' involvement.

The top of the layers (docs/architecture.md): it may use any app, and no app uses it.
`coproduce.demo.build.demo_build` builds it; `coproduce.demo.command` is `coproduce demo`.
"""
