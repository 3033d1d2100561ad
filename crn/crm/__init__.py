"""The domain layer: validated operations shared by GraphQL, the CLI, importers and automation."""
