"""Pydantic models of the API, one file per area. Request models forbid unknown fields;
response models are built by the views from ORM rows (`from_attributes`)."""
