"""The catalogue (事项目录): its file format (`onewindow-catalogue/1`, JSON checked by
`resources/catalogue/catalogue.schema.json`; described in `resources/catalogue/README.md`),
validation (`validate`), import into the desk's database (`importer`), the in-memory matter
search (`search`) and a generator of large realistic catalogues for tests and benchmarks
(`generate`)."""
