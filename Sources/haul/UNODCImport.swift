import ArgumentParser
import Foundation
enum UNODCImport { static func run(data: Data, file: String, name: String, digest: String, country: String, folder: URL, replace: Bool, series: String?, terms: String?, confidence: String) throws { Output.error("haul: unodc import is not built yet"); throw ExitCode(1) } }
