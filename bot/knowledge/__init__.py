"""What the assistant knows: FAQ, scope, safety net."""
