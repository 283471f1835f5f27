"""Shared test machinery: chapters in temporary folders and an in-process
network of instances routed by host."""
